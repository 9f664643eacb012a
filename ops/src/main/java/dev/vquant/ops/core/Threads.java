package dev.vquant.ops.core;

/**
 * The process-wide default number of threads an operator uses, like {@code torch.set_num_threads}.
 * Operators built with an explicit thread count ignore it. The default is the number of
 * available processors. Reads and writes are safe from any thread; a change affects calls that
 * start afterwards.
 */
public final class Threads {
    private static volatile int count = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Threads() {
    }

    /**
     * Sets the default thread count for operators that do not fix their own.
     *
     * @param threads the thread count, {@code > 0}
     * @throws IllegalArgumentException when {@code threads <= 0}
     */
    public static void set(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("thread count must be > 0, got " + threads);
        }
        count = threads;
    }

    /** {@return the default thread count} */
    public static int get() {
        return count;
    }

    /**
     * The thread count an operator uses.
     *
     * @param perOperator the operator's own count, 0 for none
     * @return {@code perOperator} when it is {@code > 0}, else the process-wide default
     */
    public static int resolve(int perOperator) {
        return perOperator > 0 ? perOperator : count;
    }
}
