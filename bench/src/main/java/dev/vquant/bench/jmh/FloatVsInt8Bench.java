package dev.vquant.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * A {@link WorkloadBench} whose cases also have a float twin: {@link #float32()} beside
 * {@link #int8()}, so JMH prints float and int8 side by side.
 */
public abstract class FloatVsInt8Bench extends WorkloadBench {

    /** For subclasses, which JMH instantiates once per fork. */
    protected FloatVsInt8Bench() {
    }

    /**
     * One run of the case's float twin.
     *
     * @return the output's checksum, so the work is not eliminated
     */
    @Benchmark
    public long float32() {
        workload().runFloat();
        return workload().checksum();
    }
}
