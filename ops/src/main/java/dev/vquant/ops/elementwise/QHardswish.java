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

    public QHardswish(double outScale, int outZeroPoint, int threads) {
        TensorChecks.outputQParams("Hardswish", outScale, outZeroPoint);
        this.outScale = outScale;
        this.outZeroPoint = outZeroPoint;
        this.threads = threads;
    }

    @Override
    public String name() {
        return "Hardswish";
    }

    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
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
