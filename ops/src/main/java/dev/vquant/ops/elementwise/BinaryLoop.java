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
}
