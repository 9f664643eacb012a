package dev.vquant.ops.elementwise;

import dev.vquant.ops.core.Parallel;

/** Runs an elementwise loop over {@code n} elements, split over threads for large tensors. */
final class BinaryLoop {
    private static final int GRAIN = 1 << 14;

    private BinaryLoop() {
    }

    static void run(int n, int threads, Parallel.Range body) {
        Parallel.forRange(n, n < 2 * GRAIN ? 1 : threads, GRAIN, body);
    }

    /** Whether {@link #run} would run its body once over {@code [0, n)} in the caller (which then calls it without a lambda). */
    static boolean inline(int n, int threads) {
        return Parallel.inline(n, n < 2 * GRAIN ? 1 : threads, GRAIN);
    }
}
