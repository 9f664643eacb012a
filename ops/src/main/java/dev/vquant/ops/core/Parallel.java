package dev.vquant.ops.core;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The shared worker pool every operator splits its work on. The calling thread always works on
 * its own call (pool helpers only add hands), so many callers may use it at once, a call from
 * inside a pool worker cannot deadlock, and an oversubscribed machine degrades to the serial
 * speed instead of waiting for helpers that have not started. Exceptions from any piece are rethrown in the
 * caller.
 */
public final class Parallel {
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
            new DaemonFactory(), null, false);

    /** Ranges per thread in {@link #forRange(int, int, int, Range)}. */
    public static final int CHUNKS_PER_THREAD = 4;

    private Parallel() {
    }

    /** A piece of parallel work, identified by its index. */
    @FunctionalInterface
    public interface Chunk {
        /**
         * Does the work of one chunk.
         *
         * @param index the chunk's index, in {@code [0, chunks)}
         */
        void run(int index);
    }

    /** A half-open range {@code [start, end)} of a splittable loop. */
    @FunctionalInterface
    public interface Range {
        /**
         * Does the work of one range.
         *
         * @param start the first element, inclusive
         * @param end   the last element, exclusive
         */
        void run(int start, int end);
    }

    /**
     * Runs {@code body.run(i)} for {@code 0 <= i < chunks}, concurrently. Chunks are claimed, not
     * assigned: the caller and {@code chunks - 1} pool helpers take the next unclaimed chunk until
     * none is left, so a helper the OS has not scheduled yet costs nothing (the caller does its
     * chunk); the caller then waits only for chunks that helpers have actually started. The first
     * exception of any chunk is rethrown in the caller (later ones are suppressed into it).
     *
     * @param chunks the number of chunks
     * @param body   the work of one chunk
     */
    public static void run(int chunks, Chunk body) {
        run(chunks, chunks, body);
    }

    /**
     * As {@link #run(int, Chunk)} with the caller and {@code workers - 1} helpers sharing the chunks.
     *
     * @param workers the threads taking part, the caller included
     * @param chunks  the number of chunks
     * @param body    the work of one chunk
     */
    public static void run(int workers, int chunks, Chunk body) {
        if (chunks <= 1 || workers <= 1) {
            for (int i = 0; i < chunks; i++) {
                body.run(i);
            }
            return;
        }
        Claims claims = new Claims(chunks, body);
        for (int i = 1; i < Math.min(workers, chunks); i++) {
            POOL.execute(claims::drain);
        }
        claims.drain();
        claims.awaitAll();
    }

    /** The shared state of one {@link #run} call. */
    private static final class Claims {
        private final int chunks;
        private final Chunk body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Claims(int chunks, Chunk body) {
            this.chunks = chunks;
            this.body = body;
            this.done = new CountDownLatch(chunks);
        }

        void drain() {
            for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
                try {
                    body.run(i);
                } catch (Throwable t) {
                    if (!failure.compareAndSet(null, t) && failure.get() != t) {
                        failure.get().addSuppressed(t);
                    }
                } finally {
                    done.countDown();
                }
            }
        }

        void awaitAll() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    /**
     * Whether {@link #forRange(int, int, int, Range)} (with any ranges per thread) would run
     * {@code body.run(0, n)} once on the calling thread: an operator then calls its range directly,
     * without building the capturing lambda {@code forRange} needs (no allocation per call).
     *
     * @param n       the element count
     * @param threads the threads taking part, the caller included
     * @param grain   the granularity of range boundaries
     * @return true when the loop runs as one range in the caller
     */
    public static boolean inline(int n, int threads, int grain) {
        return n > 0 && (threads <= 1 || n / Math.max(1, grain) <= 1);
    }

    /**
     * Splits {@code [0, n)} into contiguous ranges, {@value #CHUNKS_PER_THREAD} per thread (so a
     * helper that is descheduled mid-range holds back little work, and uneven ranges balance),
     * and runs them concurrently. Every range starts at a multiple of {@code grain} and holds at
     * least {@code grain} elements (the remainder {@code n mod grain} joins the last range), so
     * kernels keep full tiles. The split only decides which thread computes which elements; it
     * never changes an element's arithmetic.
     *
     * @param n       the element count
     * @param threads the threads taking part, the caller included
     * @param grain   the granularity of range boundaries, at least 1
     * @param body    the work of one range
     */
    public static void forRange(int n, int threads, int grain, Range body) {
        forRange(n, threads, grain, CHUNKS_PER_THREAD, body);
    }

    /**
     * As {@link #forRange(int, int, int, Range)} with {@code chunksPerThread} ranges per thread;
     * 1 suits work whose every range re-reads a large shared operand (GEMM row blocks).
     *
     * @param n               the element count
     * @param threads         the threads taking part, the caller included
     * @param grain           the granularity of range boundaries, at least 1
     * @param chunksPerThread the ranges per thread
     * @param body            the work of one range
     */
    public static void forRange(int n, int threads, int grain, int chunksPerThread, Range body) {
        if (n <= 0) {
            return;
        }
        if (inline(n, threads, grain)) {
            body.run(0, n);
            return;
        }
        int g = Math.max(1, grain);
        int units = n / g;
        int parts = (int) Math.min(units, (long) threads * Math.max(1, chunksPerThread));
        run(Math.min(threads, parts), parts, p -> {
            int start = (int) ((long) units * p / parts * g);
            int end = p == parts - 1 ? n : (int) ((long) units * (p + 1) / parts * g);
            body.run(start, end);
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
