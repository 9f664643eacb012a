package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.EngineNumerics.Family;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.QuantizedBinaryOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * The frame of the quantized binary elementwise operators: two quint8 per-tensor operands of the
 * same shape, a quint8 output with fixed qparams, an optional fused ReLU, and the elements split
 * over threads; subclasses supply the arithmetic of a range. Immutable and thread-safe.
 */
abstract class QuantizedBinary implements QuantizedBinaryOperator {
    protected final double outScale;
    protected final int outZeroPoint;
    protected final boolean relu;
    private final int threads;
    private final String name;
    /** Built once: a call allocates only its output. */
    private final QParams.PerTensor outQParams;

    QuantizedBinary(String name, double outScale, int outZeroPoint, boolean relu, int threads) {
        TensorChecks.outputQParams(name, outScale, outZeroPoint);
        TensorChecks.threads(name, threads);
        this.name = relu ? name + "ReLU" : name;
        this.outScale = outScale;
        this.outZeroPoint = outZeroPoint;
        this.relu = relu;
        this.threads = threads;
        this.outQParams = QParams.perTensor(outScale, outZeroPoint, DType.QUINT8);
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * {@code out[i] = op(a[i], b[i])} for {@code start <= i < end} of the {@code a.length}
     * elements, with the arithmetic of {@code numerics}.
     */
    abstract void combine(byte[] a, QParams.PerTensor qa, byte[] b, QParams.PerTensor qb, byte[] out, int start, int end,
                          Family numerics);

    /** Rejects operand qparams the arithmetic of {@code numerics} cannot take; none by default. */
    void checkOperands(QParams.PerTensor qa, QParams.PerTensor qb, Family numerics) {
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null operand or engine, an operand
     *                                  that is not a per-tensor quint8 tensor, or operands of
     *                                  different shapes (their scales and zero points may differ)
     */
    @Override
    public final QTensor forward(QTensor a, QTensor b, KernelBackend engine) {
        QParams.PerTensor qa = TensorChecks.quint8PerTensor(name, a);
        QParams.PerTensor qb = TensorChecks.quint8PerTensor(name, b);
        TensorChecks.engine(name, engine);
        TensorChecks.sameShape(name, a, b);
        byte[] x = a.bytes();
        byte[] y = b.bytes();
        byte[] out = OutputArena.bytes(x.length);
        Family numerics = engine.numerics().family();
        checkOperands(qa, qb, numerics);
        int t = Threads.resolve(threads);
        if (BinaryLoop.inline(x.length, t)) { // one range: no capturing lambda per call
            combine(x, qa, y, qb, out, 0, x.length, numerics);
        } else {
            BinaryLoop.run(x.length, t, (s, e) -> combine(x, qa, y, qb, out, s, e, numerics));
        }
        return OutputTensors.quantizedLike(out, outQParams, a);
    }
}
