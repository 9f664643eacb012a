package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized Sigmoid (PyTorch's {@code quantized::sigmoid} for quint8): fixed output qparams
 * scale {@code 1/256}, zero point 0; {@code y = quantize(1 / (1 + exp(-dequantize(q))))}. The
 * exponential is {@link Math#exp} (correctly rounded to within 1 ulp) where PyTorch uses Sleef's
 * float exp, so a value lying within an ulp of a rounding tie may land one step apart.
 * Immutable and thread-safe.
 */
public final class QSigmoid implements QuantizedOperator {
    /** PyTorch's fixed quint8 sigmoid output scale, {@code 1/2^8}. */
    public static final double OUTPUT_SCALE = 1.0 / 256;

    private final int threads;

    /**
     * @param threads threads for this operator, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a negative thread count
     */
    public QSigmoid(int threads) {
        this.threads = TensorChecks.threads(name(), threads);
    }

    @Override
    public String name() {
        return "Sigmoid";
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
        byte[] table = UnaryTable.build(v -> {
            float d = QuantArith.dequantize(v, s, premul);
            float y = (float) (1.0 / (1.0 + (float) Math.exp(-d)));
            return QuantArith.quantize(y, 256f, 0);
        });
        return QTensor.of(UnaryTable.map(x, table, Threads.resolve(threads)), x.shape(),
                QParams.perTensor(OUTPUT_SCALE, 0, DType.QUINT8));
    }
}
