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

/**
 * JMH: operators (the ops module: Linear static and dynamic, Conv2d 3x3 and 1x1, depthwise,
 * dynamic LSTM), int8 against its float twin on the same engine, one thread; the same workloads as
 * {@code vquant ratios --case '^op_'}. Each operator returns a fresh output per call, which
 * {@code -prof gc} shows as {@code gc.alloc.rate.norm} (bytes per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpBench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link #setUp()}. */
    public OpBench() {
    }

    /** The case id of {@link dev.vquant.bench.ratios.OpCases} to measure. */
    @Param({"op_linear_M1_K768_N3072_a7", "op_linear_M1_K768_N3072_dyn", "op_linear_M128_K768_N3072_a7",
            "op_conv3x3_Ci64_Co64_H56", "op_conv1x1_Ci256_Co64_H56", "op_dw3x3_C144_H56_s1", "op_dw3x3_C144_H56_s2",
            "op_lstm_I256_H512_T32_B1"})
    public String caseId;

    /** Engine name ("default" = the automatic choice); qnnpack's 128-bit kernels run on x86 too. */
    @Param({"fbgemm", "qnnpack"})
    public String engine;

    private Workload workload;

    /**
     * Builds the case's operators on the engine.
     *
     * @throws IllegalArgumentException for an unknown case id or engine
     */
    @Setup
    public void setUp() {
        workload = WorkloadState.build(caseId, engine);
    }

    /**
     * One forward of the case's float operator.
     *
     * @return the output's checksum, so the work is not eliminated
     */
    @Benchmark
    public long float32() {
        workload.runFloat();
        return workload.checksum();
    }

    /**
     * One forward of the case's int8 operator.
     *
     * @return the output's checksum, so the work is not eliminated
     */
    @Benchmark
    public long int8() {
        workload.runInt8();
        return workload.checksum();
    }
}
