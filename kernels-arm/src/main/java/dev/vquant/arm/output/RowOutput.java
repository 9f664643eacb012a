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

    /** Writes {@code len} results of the row at {@code acc[accOff..]} (columns {@code j0..}) to {@code outOff..}. */
    public abstract void row(int[] acc, int accOff, int j0, int len, int outOff);
}
