package dev.vquant.arm.fgemm;

import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.FloatGemmKernelTester;
import dev.vquant.engine.testing.TestBackends;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The 128-bit float GEMM equals the reference within the shared tolerance (summation order is the
 * kernel's own) over random shapes, strides, column sub-ranges, bias and clamps; 4-row tiles,
 * row tails and batch 1.
 */
class FloatGemmKernelsV128Test {
    private static final FloatGemmKernelsV128 KERNELS = new FloatGemmKernelsV128();
    private static final int MAX_MACS = 1_500_000;

    @Property
    void equalsReference(@ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 300) int n,
                         @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(max = 9) int ldaPad,
                         @ForAll @IntRange(max = 9) int ldcPad, @ForAll @IntRange(max = 5) int aOffset,
                         @ForAll boolean subRange, @ForAll long seed) {
        int rows = Math.max(1, Math.min(m, MAX_MACS / (n * k)));
        int nStart = subRange ? Math.floorMod((int) seed, n) : 0;
        int nEnd = subRange ? nStart + Math.floorMod((int) (seed >>> 20), n - nStart) + 1 : n;
        new FloatGemmKernelTester().m(rows).n(n).k(k).lda(k + ldaPad).ldc(n + ldcPad).aOffset(aOffset).cOffset(ldcPad)
                .nRange(nStart, nEnd).seed(seed).test(KERNELS);
    }

    @Test
    void severalColumnChunksAndBatchOne() {
        new FloatGemmKernelsV128Test().equalsReference(7, 301, 1100, 3, 1, 2, true, 5);
        new FloatGemmKernelTester().m(1).n(77).k(2049).seed(6).test(KERNELS);
    }

    @Test
    void packedWeightsRememberEngineAndWidth() {
        PackedFloatWeights p = KERNELS.pack(new float[6], 2, 3);
        assertEquals("qnnpack", p.engine());
        assertEquals(VectorWidth.V128, p.width());
    }

    @Test
    void rejectsBadArguments() {
        PackedFloatWeights p = KERNELS.pack(new float[12], 3, 4);
        PackedFloatWeights foreign = TestBackends.reference().floatGemm().pack(new float[12], 3, 4);
        float[] a = new float[8];
        float[] c = new float[6];
        assertThrows(IllegalArgumentException.class, () -> KERNELS.pack(new float[11], 3, 4));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemm(a, 0, 4, 3, p, 0, 3, null, -1, 1, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemm(a, 0, 4, 2, p, 0, 3, new float[2], -1, 1, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemm(a, 0, 4, 2, p, 0, 3, null, 1, -1, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemm(a, 0, 4, 2, foreign, 0, 3, null, -1, 1, c, 0, 3));
    }
}
