package dev.vquant.ops.pool;

import dev.vquant.ops.core.TensorChecks;

/**
 * Options of an adaptive average pooling ({@link QAdaptiveAvgPool2d}, {@link FloatAdaptiveAvgPool2d}):
 * PyTorch's {@code output_size} (given when the builder starts) and the thread count.
 * <pre>QAdaptiveAvgPool2d gap = QAdaptiveAvgPool2d.builder(1).build();</pre>
 *
 * @param <T> the operator built
 */
public final class AdaptiveBuilder<T> {
    /** Makes the operator from the options; it validates the output size. */
    @FunctionalInterface
    interface Factory<T> {
        T create(int outH, int outW, int threads);
    }

    private final String op;
    private final int outH;
    private final int outW;
    private final Factory<T> factory;
    private int threads;

    AdaptiveBuilder(String op, int outH, int outW, Factory<T> factory) {
        this.op = op;
        this.outH = outH;
        this.outW = outW;
        this.factory = factory;
    }

    /**
     * Threads for this operator; 0 (the default) follows {@link dev.vquant.ops.core.Threads#get()}.
     *
     * @param threads the thread count
     * @return this builder
     * @throws IllegalArgumentException for a negative count
     */
    public AdaptiveBuilder<T> threads(int threads) {
        this.threads = TensorChecks.threads(op, threads);
        return this;
    }

    /**
     * The operator.
     *
     * @return the pooling
     * @throws IllegalArgumentException naming the operator for an output size {@code <= 0}
     */
    public T build() {
        PoolShape.checkAdaptiveSize(op, outH, outW);
        return factory.create(outH, outW, threads);
    }
}
