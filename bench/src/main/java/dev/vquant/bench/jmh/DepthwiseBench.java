package dev.vquant.bench.jmh;

import dev.vquant.bench.workload.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** JMH: depthwise convolution, int8 against float; the same workloads as `vquant ratios`, one fork for the family. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DepthwiseBench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link #setUp()}. */
    public DepthwiseBench() {
    }

    /** The case id of {@link dev.vquant.bench.workload.KernelCases} to measure. */
    @Param({"dw3x3_C144_H56_s1", "dw3x3_C144_H56_s2", "dw3x3_C576_H14_s1", "dw5x5_C240_H28_s1"})
    public String caseId;

    /** Engine name, or "default" for the automatic choice. */
    @Param({"default"})
    public String engine;

    private Workload workload;

    /**
     * Builds the case's workload on the engine.
     *
     * @throws IllegalArgumentException for an unknown case id or engine
     */
    @Setup
    public void setUp() {
        workload = WorkloadState.build(caseId, engine);
    }

    /**
     * The float depthwise convolution of the case.
     *
     * @return the output's checksum, so the work is not eliminated
     */
    @Benchmark
    public long float32() {
        workload.runFloat();
        return workload.checksum();
    }

    /**
     * The int8 depthwise convolution of the case.
     *
     * @return the output's checksum, so the work is not eliminated
     */
    @Benchmark
    public long int8() {
        workload.runInt8();
        return workload.checksum();
    }
}
