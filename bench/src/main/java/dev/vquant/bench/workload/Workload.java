package dev.vquant.bench.workload;

/**
 * One measured case: data prepared once, then a float run and an int8 run doing the same job.
 * The ratio runner and the JMH suite both drive workloads, so both measure the same thing.
 * Runs must not allocate (results go to preallocated buffers) and must be repeatable.
 */
public interface Workload {

    /** {@return the stable case id (tools read these), e.g. {@code gemm_M1024_K1024_N1024_a7}} */
    String id();

    /** {@return the threads the runs use (the {@code threads} column)} */
    default int threads() {
        return 1;
    }

    /** {@return false for throughput rows that have no float twin ({@code float_ms} left empty)} */
    default boolean hasFloat() {
        return true;
    }

    /**
     * {@return the elements processed per int8 run, for throughput rows (elements/ns); 0 when not meaningful}
     */
    default long elements() {
        return 0;
    }

    /** One float run of the case (called only when {@link #hasFloat()}). */
    void runFloat();

    /** One int8 run of the case, doing the same job as the float run. */
    void runInt8();

    /** {@return a value derived from the outputs, so the JIT cannot drop the work (and JMH can sink it)} */
    long checksum();
}
