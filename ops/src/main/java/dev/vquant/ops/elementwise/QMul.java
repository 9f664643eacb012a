package dev.vquant.ops.elementwise;

import dev.vquant.engine.QParams;
import dev.vquant.engine.spi.EngineNumerics.Family;

/**
 * Quantized mul / mul_relu (PyTorch's {@code quantized::mul}) of two quint8 tensors of the same
 * shape, in PyTorch's integer-product form:
 * <pre>c = (a - za) * (b - zb)  (exact int32);  m = f32(f32(sa * sb) * f32(1.0f / sOut))
 * y = clamp(zOut + rint(f32(c) * m), 0, 255)  (ReLU: max(y, zOut))</pre>
 * identical in PyTorch's vector and scalar loops, and on every engine (PyTorch's qnnpack engine
 * runs the same ATen kernel for quint8 mul). Immutable and thread-safe.
 */
public final class QMul extends QuantizedBinary {

    /**
     * Starts building a quantized mul (PyTorch's {@code quantized::mul}); the output
     * qparams are required.
     * <pre>QMul op = QMul.builder().output(0.05, 128).relu(true).build();</pre>
     *
     * @return the builder
     */
    public static BinaryBuilder<QMul> builder() {
        return new BinaryBuilder<>("Mul", QMul::new);
    }

    private QMul(double outScale, int outZeroPoint, boolean relu, int threads) {
        super("Mul", outScale, outZeroPoint, relu, threads);
    }

    @Override
    void combine(byte[] x, QParams.PerTensor qa, byte[] y, QParams.PerTensor qb, byte[] out, int start, int end,
                 Family numerics) {
        float m = (float) qa.scale() * (float) qb.scale() * (1.0f / (float) outScale);
        int za = qa.zeroPoint();
        int zb = qb.zeroPoint();
        int i = QuantizedBinaryKernels.mul(x, y, out, start, end, za, zb, m, outZeroPoint, relu);
        mulScalar(x, y, out, i, end, za, zb, m, outZeroPoint, relu);
    }

    /**
     * The product on {@code [start, end)}, one element at a time: the reference twin of
     * {@link QuantizedBinaryKernels#mul}, which must equal it bit for bit.
     */
    static void mulScalar(byte[] x, byte[] y, byte[] out, int start, int end, int za, int zb, float m, int zOut,
                          boolean relu) {
        int lo = relu ? zOut : 0;
        for (int i = start; i < end; i++) {
            int c = ((x[i] & 0xFF) - za) * ((y[i] & 0xFF) - zb);
            out[i] = (byte) Math.max(QuantArith.quantize((float) c, m, zOut), lo);
        }
    }
}
