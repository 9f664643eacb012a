package dev.vquant.ops.elementwise;

import dev.vquant.ops.core.TensorChecks;

/**
 * Options of a quantized binary operator ({@link QAdd}, {@link QMul}): the quint8 output qparams
 * (required: PyTorch's {@code scale} and {@code zero_point}), a fused ReLU, the thread count.
 * <pre>QAdd add = QAdd.builder().output(0.05, 128).relu(true).build();</pre>
 *
 * @param <T> the operator built
 */
public final class BinaryBuilder<T> {
    /** Makes the operator from validated options. */
    @FunctionalInterface
    interface Factory<T> {
        T create(double outScale, int outZeroPoint, boolean relu, int threads);
    }

    private final String op;
    private final Factory<T> factory;
    private double outScale;
    private int outZeroPoint;
    private boolean outputSet;
    private boolean relu;
    private int threads;

    BinaryBuilder(String op, Factory<T> factory) {
        this.op = op;
        this.factory = factory;
    }

    /**
     * The quint8 output scale and zero point (required).
     *
     * @param scale     output scale
     * @param zeroPoint output zero point, 0..255
     * @return this builder
     */
    public BinaryBuilder<T> output(double scale, int zeroPoint) {
        this.outScale = scale;
        this.outZeroPoint = zeroPoint;
        this.outputSet = true;
        return this;
    }

    /**
     * Fuse a ReLU ({@code add_relu}, {@code mul_relu}); default false.
     *
     * @param relu whether to clamp at the output zero point
     * @return this builder
     */
    public BinaryBuilder<T> relu(boolean relu) {
        this.relu = relu;
        return this;
    }

    /**
     * Threads for this operator; 0 (the default) follows {@link dev.vquant.ops.core.Threads#get()}.
     *
     * @param threads the thread count
     * @return this builder
     * @throws IllegalArgumentException for a negative count
     */
    public BinaryBuilder<T> threads(int threads) {
        this.threads = TensorChecks.threads(op, threads);
        return this;
    }

    /**
     * The operator.
     *
     * @return the operator
     * @throws IllegalArgumentException naming the operator when {@link #output} was never called
     *                                  or its qparams are invalid
     */
    public T build() {
        TensorChecks.outputSet(op, outputSet);
        return factory.create(outScale, outZeroPoint, relu, threads);
    }
}
