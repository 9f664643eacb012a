package dev.vquant.bench.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: quantize / dequantize / requantize throughput (int8 only); the same workloads as `vquant ratios`, one fork for the family. */
public class QuantizeBench extends WorkloadBench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link WorkloadBench#setUp()}. */
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

    @Override
    protected String caseId() {
        return caseId;
    }

    @Override
    protected String engine() {
        return engine;
    }
}
