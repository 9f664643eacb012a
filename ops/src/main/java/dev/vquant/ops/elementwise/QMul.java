package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.QuantizedBinaryOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized mul / mul_relu (PyTorch's {@code quantized::mul}) of two quint8 tensors of the same
 * shape, in PyTorch's integer-product form:
 * <pre>c = (a - za) * (b - zb)  (exact int32);  m = f32(f32(sa * sb) * f32(1.0f / sOut))
 * y = clamp(zOut + rint(f32(c) * m), 0, 255)  (ReLU: max(y, zOut))</pre>
 * identical in PyTorch's vector and scalar loops. Immutable and thread-safe.
 */
public final class QMul implements QuantizedBinaryOperator {
    private final double outScale;
    private final int outZeroPoint;
    private final boolean relu;
    private final int threads;

    public QMul(double outScale, int outZeroPoint, boolean relu, int threads) {
        TensorChecks.outputQParams("Mul", outScale, outZeroPoint);
        this.outScale = outScale;
        this.outZeroPoint = outZeroPoint;
        this.relu = relu;
        this.threads = threads;
    }

    @Override
    public String name() {
        return relu ? "MulReLU" : "Mul";
    }

    @Override
    public QTensor forward(QTensor a, QTensor b, KernelBackend engine) {
        QParams.PerTensor qa = TensorChecks.quint8PerTensor(name(), a);
        QParams.PerTensor qb = TensorChecks.quint8PerTensor(name(), b);
        TensorChecks.sameShape(name(), a.shape(), b.shape());
        float m = (float) qa.scale() * (float) qb.scale() * (1.0f / (float) outScale);
        int za = qa.zeroPoint();
        int zb = qb.zeroPoint();
        int lo = relu ? outZeroPoint : 0;
        byte[] x = a.bytes();
        byte[] y = b.bytes();
        byte[] out = new byte[x.length];
        BinaryLoop.run(x.length, Threads.resolve(threads), (s, e) -> {
            for (int i = s; i < e; i++) {
                int c = ((x[i] & 0xFF) - za) * ((y[i] & 0xFF) - zb);
                int v = QuantArith.quantize((float) c, m, outZeroPoint);
                out[i] = (byte) Math.max(v, lo);
            }
        });
        return QTensor.of(out, a.shape(), QParams.perTensor(outScale, outZeroPoint, DType.QUINT8));
    }
}
