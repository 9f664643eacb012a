package dev.vquant.ops.nn;

import dev.vquant.ops.core.Parallel;

/** Splits independent rows of a row-wise operator over threads, at least ~16K elements per range. */
final class Rows {
    private static final int GRAIN_ELEMENTS = 1 << 14;

    private Rows() {
    }

    /** A range of rows, with its own scratch lanes for the fixed-order sums. */
    interface Body {
        void run(int rowStart, int rowEnd, float[] scratch);
    }

    /** Whether {@link #run} would run all rows as one range in the caller (which then calls its rows without a lambda). */
    static boolean inline(int rows, int rowLength, int threads) {
        return Parallel.inline(rows, threads, Math.max(1, GRAIN_ELEMENTS / Math.max(1, rowLength)));
    }

    static void run(int rows, int rowLength, int threads, Body body) {
        int grain = Math.max(1, GRAIN_ELEMENTS / Math.max(1, rowLength));
        Parallel.forRange(rows, threads, grain, (s, e) -> body.run(s, e, RowKernels.scratch()));
    }
}
