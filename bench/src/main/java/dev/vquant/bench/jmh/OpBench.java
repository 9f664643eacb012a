package dev.vquant.bench.jmh;

import org.openjdk.jmh.annotations.Param;

/**
 * JMH: operators (the ops module: Linear static and dynamic, Conv2d 3x3 and 1x1, depthwise,
 * dynamic LSTM), int8 against its float twin on the same engine, one thread; the same workloads as
 * {@code vquant ratios --case '^op_'}. Each operator returns a fresh output per call, which
 * {@code -prof gc} shows as {@code gc.alloc.rate.norm} (bytes per call).
 */
public class OpBench extends FloatVsInt8Bench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link WorkloadBench#setUp()}. */
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

    @Override
    protected String caseId() {
        return caseId;
    }

    @Override
    protected String engine() {
        return engine;
    }
}
