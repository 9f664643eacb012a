package dev.vquant.bench.jmh;

import org.openjdk.jmh.annotations.Param;

/** JMH: depthwise convolution, int8 against float; the same workloads as `vquant ratios`, one fork for the family. */
public class DepthwiseBench extends FloatVsInt8Bench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link WorkloadBench#setUp()}. */
    public DepthwiseBench() {
    }

    /** The case id of {@link dev.vquant.bench.workload.KernelCases} to measure. */
    @Param({"dw3x3_C144_H56_s1", "dw3x3_C144_H56_s2", "dw3x3_C576_H14_s1", "dw5x5_C240_H28_s1"})
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
