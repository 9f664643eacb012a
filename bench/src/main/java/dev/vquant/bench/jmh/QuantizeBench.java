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

/** JMH: quantize / dequantize / requantize throughput (int8 only); the same workloads as `vquant ratios`, one fork for the family. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantizeBench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link #setUp()}. */
    public QuantizeBench() {
    }

    /**
     * The case id of {@link dev.vquant.bench.workload.KernelCases} to measure: the operation and element count.
     */
    @Param({"requantize_N65536", "quantize_N65536", "dequantize_N65536"})
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
     * The int8 operation of the case over all its elements.
     *
     * @return the output's checksum, so the work is not eliminated
     */
    @Benchmark
    public long int8() {
        workload.runInt8();
        return workload.checksum();
    }
}
