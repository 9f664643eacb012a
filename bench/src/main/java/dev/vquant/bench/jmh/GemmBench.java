package dev.vquant.bench.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: int8 GEMM / Linear against the float GEMM; the same workloads as `vquant ratios`, one fork for the family. */
public class GemmBench extends FloatVsInt8Bench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link WorkloadBench#setUp()}. */
    public GemmBench() {
    }

    /** The case id of {@link dev.vquant.bench.workload.KernelCases} to measure. */
    @Param({"gemm_M1024_K1024_N1024_a7", "gemm_M1024_K1024_N1024_a8", "linear_M1_K768_N768_a7", "linear_M1_K768_N3072_a7", "linear_M1_K768_N3072_a8", "linear_M8_K768_N3072_a7", "linear_M32_K768_N3072_a7", "linear_M128_K768_N3072_a7", "linear_M128_K768_N3072_a8", "linear_M1_K4096_N4096_a7", "linear_M1_K4096_N4096_a8"})
    public String caseId;

    /** Engine name, or "default" for the automatic choice. */
    @Param({"default"})
    public String engine;

    @Override
    protected String caseId() {
        return caseId;
    }

    @Override
    protected String engine() {
        return engine;
    }
}
