package dev.vquant.ops.core;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared worker pool every operator splits its work on. A call with {@code chunks} pieces
 * runs piece 0 in the calling thread and the others on the pool, then waits for all of them;
 * exceptions from any piece are rethrown in the caller. Many callers may use it at once (pieces
 * of different calls simply queue), and a call from inside a pool worker is safe because a
 * waiting worker helps run queued pieces instead of blocking.
 */
public final class Parallel {
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
            new DaemonFactory(), null, false);

    private Parallel() {
    }

    /** A piece of parallel work, identified by its index. */
    @FunctionalInterface
    public interface Chunk {
        void run(int index);
    }

    /** A half-open range {@code [start, end)} of a splittable loop. */
    @FunctionalInterface
    public interface Range {
        void run(int start, int end);
    }

    /** Runs {@code body.run(i)} for {@code 0 <= i < chunks}, concurrently. */
    public static void run(int chunks, Chunk body) {
        if (chunks <= 1) {
            if (chunks == 1) {
                body.run(0);
            }
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int i = 1; i < chunks; i++) {
            int index = i;
            tasks[i - 1] = POOL.submit(() -> body.run(index));
        }
        RuntimeException failure = null;
        try {
            body.run(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Splits {@code [0, n)} into at most {@code threads} contiguous ranges whose inner boundaries
     * are multiples of {@code grain}, and runs them concurrently. The split only decides which
     * thread computes which elements; it never changes an element's arithmetic.
     */
    public static void forRange(int n, int threads, int grain, Range body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        int units = (n + g - 1) / g;
        int parts = Math.max(1, Math.min(threads, units));
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        run(parts, p -> {
            int start = (int) Math.min(n, (long) units * p / parts * g);
            int end = (int) Math.min(n, (long) units * (p + 1) / parts * g);
            if (start < end) {
                body.run(start, end);
            }
        });
    }

    private static final class DaemonFactory implements ForkJoinPool.ForkJoinWorkerThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("vquant-ops-" + next.incrementAndGet());
            return t;
        }
    }
}
