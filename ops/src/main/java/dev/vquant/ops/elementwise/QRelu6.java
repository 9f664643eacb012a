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
 * Quantized ReLU6 (PyTorch's {@code quantized::relu6}): {@code y = clamp(q, zp, q6)} with
 * {@code q6 = quantize(6.0)} at the input's qparams ({@code zp + rint(6 * f32(1/scale))}, at most
 * 255); output with the input's qparams; exact. This is ATen's kernel and vquant's answer on
 * every engine: PyTorch's qnnpack engine routes relu6 through a QNNPACK path that scrambles
 * channels_last inputs (up to 96 steps off in PyTorch 1.13), which vquant does not copy.
 * Immutable and thread-safe.
 */
public final class QRelu6 implements QuantizedOperator {
    private final int threads;
    private final UnaryTable.Cache tables = new UnaryTable.Cache(QRelu6::tables);

    /**
     * A quantized ReLU6.
     *
     * @param threads threads for this operator, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a negative thread count
     */
    public QRelu6(int threads) {
        this.threads = TensorChecks.threads(name(), threads);
    }

    @Override
    public String name() {
        return "ReLU6";
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

    /** {@code clamp(v, zp, q6)}, the same on every engine. */
    private static UnaryTable.Tables tables(Family family, float scale, int zp) {
        int six = QuantArith.quantize(6.0f, 1.0f / scale, zp);
        return UnaryTable.Tables.single(UnaryTable.build(v -> Math.min(Math.max(v, zp), six)));
    }
}
