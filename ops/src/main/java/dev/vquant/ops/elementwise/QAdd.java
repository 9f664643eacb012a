package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.QuantizedBinaryOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized add / add_relu (PyTorch's {@code quantized::add}, {@code FloatFunctional.add} after
 * conversion) of two quint8 tensors of the same shape, requantized to the given output qparams
 * with the arithmetic of PyTorch's vectorized x86 kernel:
 * <pre>c = dq(a) + dq(b)  (ReLU: max(c, 0));  y = clamp(rint(c * f32(1.0f / f32(outScale))) + zOut, 0, 255)</pre>
 * where {@code dq} is {@link QuantArith}'s fma dequantize. PyTorch's scalar tail loop (the last
 * few elements of each parallel chunk) dequantizes without fma and the qnnpack engine uses its
 * own fixed-point add, so either may differ from this by one step at a rounding tie.
 * Immutable and thread-safe.
 */
public final class QAdd implements QuantizedBinaryOperator {
    private final double outScale;
    private final int outZeroPoint;
    private final boolean relu;
    private final int threads;

    public QAdd(double outScale, int outZeroPoint, boolean relu, int threads) {
        TensorChecks.outputQParams("Add", outScale, outZeroPoint);
        this.outScale = outScale;
        this.outZeroPoint = outZeroPoint;
        this.relu = relu;
        this.threads = threads;
    }

    @Override
    public String name() {
        return relu ? "AddReLU" : "Add";
    }

    @Override
    public QTensor forward(QTensor a, QTensor b, KernelBackend engine) {
        QParams.PerTensor qa = TensorChecks.quint8PerTensor(name(), a);
        QParams.PerTensor qb = TensorChecks.quint8PerTensor(name(), b);
        TensorChecks.sameShape(name(), a.shape(), b.shape());
        float sa = (float) qa.scale();
        float sb = (float) qb.scale();
        float pa = QuantArith.premul(sa, qa.zeroPoint());
        float pb = QuantArith.premul(sb, qb.zeroPoint());
        float inv = 1.0f / (float) outScale;
        byte[] x = a.bytes();
        byte[] y = b.bytes();
        byte[] out = new byte[x.length];
        BinaryLoop.run(x.length, Threads.resolve(threads), (s, e) -> {
            for (int i = s; i < e; i++) {
                float c = QuantArith.dequantize(x[i] & 0xFF, sa, pa) + QuantArith.dequantize(y[i] & 0xFF, sb, pb);
                if (relu) {
                    c = Math.max(c, 0f);
                }
                out[i] = (byte) QuantArith.quantize(c, inv, outZeroPoint);
            }
        });
        return QTensor.of(out, a.shape(), QParams.perTensor(outScale, outZeroPoint, DType.QUINT8));
    }
}
