package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized Hardswish (PyTorch's {@code quantized::hardswish}) with given output qparams:
 * {@code x = dequantize(q)} ({@link QuantArith}), {@code y = x * clamp(x + 3, 0, 6) / 6} in
 * float32 (that operation order), quantized with {@code f32(1.0 / outScale)} (PyTorch computes
 * this reciprocal in double). Immutable and thread-safe.
 */
public final class QHardswish implements QuantizedOperator {
    private final double outScale;
    private final int outZeroPoint;
    private final int threads;

    /**
     * @param outScale     output scale
     * @param outZeroPoint output zero point (quint8)
     * @param threads      threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for invalid output qparams or a negative thread count
     */
    public QHardswish(double outScale, int outZeroPoint, int threads) {
        TensorChecks.outputQParams("Hardswish", outScale, outZeroPoint);
        this.outScale = outScale;
        this.outZeroPoint = outZeroPoint;
        this.threads = TensorChecks.threads("Hardswish", threads);
    }

    @Override
    public String name() {
        return "Hardswish";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, or an input
     *                                  that is not a per-tensor quint8 tensor
     */
    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
        TensorChecks.engine(name(), engine);
        float s = (float) q.scale();
        float premul = QuantArith.premul(s, q.zeroPoint());
        float inv = (float) (1.0 / outScale);
        byte[] table = UnaryTable.build(v -> {
            float d = QuantArith.dequantize(v, s, premul);
            float y = d * Math.min(Math.max(d + 3f, 0f), 6f) / 6f;
            return QuantArith.quantize(y, inv, outZeroPoint);
        });
        return QTensor.of(UnaryTable.map(x, table, Threads.resolve(threads)), x.shape(),
                QParams.perTensor(outScale, outZeroPoint, DType.QUINT8));
    }
}
