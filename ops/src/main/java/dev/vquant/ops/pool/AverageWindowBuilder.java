package dev.vquant.ops.pool;

/**
 * Options of an average-pooling window: {@link WindowBuilder}'s plus PyTorch's
 * {@code count_include_pad} (default true) and {@code divisor_override} (default none). With
 * {@code ceil_mode}, a window reaching past the padding divides by its extent inside the padding,
 * as PyTorch does.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class AverageWindowBuilder<B extends AverageWindowBuilder<B>> extends WindowBuilder<B> {
    private boolean countIncludePad = true;
    private int divisorOverride;

    /**
     * A window of {@code kernelH x kernelW}.
     *
     * @param op      the operator's name, for messages
     * @param kernelH kernel height
     * @param kernelW kernel width
     */
    protected AverageWindowBuilder(String op, int kernelH, int kernelW) {
        super(op, kernelH, kernelW);
    }

    /**
     * Count padded taps in the divisor (PyTorch's {@code count_include_pad}, default true).
     *
     * @param countIncludePad whether padded taps count
     * @return this builder
     */
    public B countIncludePad(boolean countIncludePad) {
        this.countIncludePad = countIncludePad;
        return self();
    }

    /**
     * A fixed divisor (PyTorch's {@code divisor_override}); 0, the default, for none.
     *
     * @param divisorOverride the divisor
     * @return this builder
     */
    public B divisorOverride(int divisorOverride) {
        this.divisorOverride = divisorOverride;
        return self();
    }

    /**
     * Whether padded taps count in the divisor.
     *
     * @return the flag
     */
    protected boolean includePad() {
        return countIncludePad;
    }

    /**
     * The divisor override.
     *
     * @return the divisor, 0 for none
     */
    protected int divisor() {
        return divisorOverride;
    }
}
