package dev.vquant.bench.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel-level cases of the ratio runner and the JMH suite. Ids are stable: tools read them.
 */
public final class KernelCases {
    private KernelCases() {
    }

    /**
     * {@return every kernel-level case: GEMM and Linear shapes, depthwise convolutions and quantize conversions}
     */
    public static List<CaseSpec> all() {
        List<CaseSpec> cases = new ArrayList<>();
        for (String a : new String[] {"a7", "a8"}) {
            int max = a.equals("a7") ? 127 : 255;
            cases.add(gemm("gemm_M1024_K1024_N1024_" + a, 1024, 1024, 1024, max));
        }
        for (int m : new int[] {1, 8, 32, 128}) {
            for (int n : new int[] {768, 3072}) {
                for (String a : new String[] {"a7", "a8"}) {
                    cases.add(gemm("linear_M" + m + "_K768_N" + n + "_" + a, m, 768, n, a.equals("a7") ? 127 : 255));
                }
            }
        }
        for (String a : new String[] {"a7", "a8"}) {
            cases.add(gemm("linear_M1_K4096_N4096_" + a, 1, 4096, 4096, a.equals("a7") ? 127 : 255));
        }
        cases.add(dw("dw3x3_C144_H56_s1", 144, 56, 3, 1));
        cases.add(dw("dw3x3_C144_H56_s2", 144, 56, 3, 2));
        cases.add(dw("dw3x3_C576_H14_s1", 576, 14, 3, 1));
        cases.add(dw("dw5x5_C240_H28_s1", 240, 28, 5, 1));
        cases.add(new CaseSpec("requantize_N65536",
                e -> new QuantizeWorkload("requantize_N65536", e, QuantizeWorkload.Op.REQUANTIZE, 65536)));
        cases.add(new CaseSpec("quantize_N65536",
                e -> new QuantizeWorkload("quantize_N65536", e, QuantizeWorkload.Op.QUANTIZE, 65536)));
        cases.add(new CaseSpec("dequantize_N65536",
                e -> new QuantizeWorkload("dequantize_N65536", e, QuantizeWorkload.Op.DEQUANTIZE, 65536)));
        return cases;
    }

    private static CaseSpec gemm(String id, int m, int k, int n, int activationMax) {
        return new CaseSpec(id, e -> new GemmWorkload(id, e, m, k, n, activationMax));
    }

    private static CaseSpec dw(String id, int channels, int size, int kernel, int stride) {
        return new CaseSpec(id, e -> new DepthwiseWorkload(id, e, channels, size, kernel, stride));
    }
}
