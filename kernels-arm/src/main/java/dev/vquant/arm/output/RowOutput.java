package dev.vquant.arm.output;

/**
 * The fused output stage of an int8 kernel: turns one row of exact int32 accumulators, still hot
 * in L1 right after the micro-kernel produced them, into the caller's output. Column (or
 * channel) {@code j0 + t} of the row sits at {@code acc[accOff + t]} for {@code t < len} and its
 * result goes to output element {@code outOff + t}; per-channel parameters are indexed by the
 * absolute {@code j0 + t}.
 *
 * <p>Instances are bound to one call's output array and parameters; each thread owns its own
 * (see {@link OutputStages}), so they are never shared between threads.
 */
public abstract class RowOutput {
    /** For the stages of this package; a subclass binds its call's parameters before {@link #row} is used. */
    protected RowOutput() {
    }

    /**
     * Writes {@code len} results of the row at {@code acc[accOff..]} (columns {@code j0..}) to {@code outOff..}.
     *
     * @param acc    exact int32 accumulators (may be overwritten by the stage)
     * @param accOff index of column {@code j0}'s accumulator in {@code acc}
     * @param j0     absolute output column (or channel) of the first accumulator
     * @param len    number of columns
     * @param outOff index in the bound output array that column {@code j0} goes to
     */
    public abstract void row(int[] acc, int accOff, int j0, int len, int outOff);
}
