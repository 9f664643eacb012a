package dev.vquant.ops.core;

/**
 * How a GEMM of {@code m x n} outputs (reduction {@code k}) is shared among threads: by column
 * ranges when there are few rows (batch-1 and small-batch Linear, where every thread reading all
 * the weights would waste memory bandwidth), else by row ranges. Inner boundaries are multiples
 * of 64 columns or 4 rows so kernels keep their full tiles. Small problems run in the caller.
 * Every output element is computed by exactly one thread with the same arithmetic as serially.
 */
public final class GemmSplit {
    /** Below this many multiply-adds one thread is faster than handing work over. */
    public static final long MIN_PARALLEL_WORK = 1L << 16;
    private static final int COL_GRAIN = 64;
    private static final int ROW_GRAIN = 4;

    private GemmSplit() {
    }

    /** A block of the output: rows {@code [rowStart, rowEnd)}, columns {@code [colStart, colEnd)}. */
    @FunctionalInterface
    public interface Block {
        /**
         * Computes one block of the output.
         *
         * @param rowStart the first row, inclusive
         * @param rowEnd   the last row, exclusive
         * @param colStart the first column, inclusive
         * @param colEnd   the last column, exclusive
         */
        void run(int rowStart, int rowEnd, int colStart, int colEnd);
    }

    /**
     * The threads worth using for a GEMM.
     *
     * @param work    the multiply-adds of the GEMM
     * @param threads the threads available
     * @return {@code threads}, or 1 when {@code work} multiply-adds are too few to be worth sharing
     */
    public static int threadsFor(long work, int threads) {
        return work < MIN_PARALLEL_WORK ? 1 : Math.max(1, threads);
    }

    /**
     * Whether {@link #run} would call its body once, on the calling thread, with the whole output
     * {@code (0, m, 0, n)}: an operator then calls its block directly, without building the
     * capturing lambda {@code run} needs (no allocation per call).
     *
     * @param m       the output rows
     * @param n       the output columns
     * @param k       the reduction length
     * @param threads the threads available
     * @return true when the GEMM runs as one block in the caller
     */
    public static boolean inline(int m, int n, int k, int threads) {
        return m > 0 && n > 0 && threadsFor((long) m * n * Math.max(k, 1), threads) == 1;
    }

    /**
     * Runs {@code body} over blocks covering the {@code m x n} output exactly once.
     *
     * @param m       the output rows
     * @param n       the output columns
     * @param k       the reduction length (sizes the work, not the split)
     * @param threads the threads available
     * @param body    computes one block
     */
    public static void run(int m, int n, int k, int threads, Block body) {
        if (m == 0 || n == 0) {
            return;
        }
        if (inline(m, n, k, threads)) {
            body.run(0, m, 0, n);
            return;
        }
        boolean byColumns = (m <= 32 || m < ROW_GRAIN * threads) && n >= COL_GRAIN * 2;
        if (byColumns) {
            Parallel.forRange(n, threads, COL_GRAIN, (cs, ce) -> body.run(0, m, cs, ce));
        } else {
            // one row block per thread: every block streams all the weights again
            Parallel.forRange(m, threads, ROW_GRAIN, 1, (rs, re) -> body.run(rs, re, 0, n));
        }
    }
}
