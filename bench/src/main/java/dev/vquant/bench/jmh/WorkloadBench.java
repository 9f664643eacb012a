package dev.vquant.bench.jmh;

import dev.vquant.bench.workload.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What every workload benchmark shares: the JMH settings (average time in microseconds, one fork
 * with the Vector API module, 3 warm-up and 5 measured one-second iterations), building the
 * {@link Workload} of a case on an engine once per fork, and the int8 benchmark. A subclass names
 * its cases and engines with {@code @Param} fields and returns them from {@link #caseId()} and
 * {@link #engine()}; {@link FloatVsInt8Bench} adds the float twin's benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class WorkloadBench {
    private Workload workload;

    /** For subclasses, which JMH instantiates once per fork. */
    protected WorkloadBench() {
    }

    /** {@return the case id to measure (a {@code @Param} of the subclass)} */
    protected abstract String caseId();

    /** {@return the engine name, or "default" for the automatic choice (a {@code @Param} of the subclass)} */
    protected abstract String engine();

    /**
     * Builds the case's workload on the engine.
     *
     * @throws IllegalArgumentException for an unknown case id or engine
     */
    @Setup
    public void setUp() {
        workload = WorkloadState.build(caseId(), engine());
    }

    /** {@return the workload built by {@link #setUp()}} */
    protected final Workload workload() {
        return workload;
    }

    /**
     * One run of the case's int8 side.
     *
     * @return the output's checksum, so the work is not eliminated
     */
    @Benchmark
    public long int8() {
        workload.runInt8();
        return workload.checksum();
    }
}
