package dev.vquant.ops.elementwise;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.EngineNumerics.Family;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized ReLU (PyTorch's {@code relu} on a quint8 tensor): {@code y = max(q, zp)}, output with
 * the input's qparams; exact. Any shape. Immutable and thread-safe.
 */
public final class QRelu implements QuantizedOperator {
    private final int threads;
    private final UnaryTable.Cache tables = new UnaryTable.Cache(QRelu::tables);

    /**
     * A quantized ReLU.
     *
     * @param threads threads for this operator, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a negative thread count
     */
    public QRelu(int threads) {
        this.threads = TensorChecks.threads(name(), threads);
    }

    @Override
    public String name() {
        return "ReLU";
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
        return OutputTensors.quantizedLike(tables.get(engine.numerics().family(), q).map(x, Threads.resolve(threads)), q, x);
    }

    /** {@code max(v, zp)}, the same on every engine. */
    private static UnaryTable.Tables tables(Family family, float scale, int zp) {
        return UnaryTable.Tables.single(UnaryTable.build(v -> Math.max(v, zp)));
    }
}
