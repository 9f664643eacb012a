package dev.vquant.x86.fgemm;

import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.BadArgumentsTester;
import dev.vquant.engine.testing.FloatGemmKernelTester;
import dev.vquant.engine.testing.KernelCases;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The fbgemm float GEMM at both widths matches the reference within the shared float tolerance
 * ({@link FloatGemmKernelTester}: with and without bias, no clamp, ReLU and a narrow clamp, canaries
 * around the written region) over random shapes 1..300 with all tails, strides, column sub-ranges,
 * batch 1, and K across several reduction blocks.
 */
class X86FloatGemmKernelsTest {
    private static final X86FloatGemmKernels V512 = new X86FloatGemmKernels(VectorWidth.V512);
    private static final X86FloatGemmKernels V256 = new X86FloatGemmKernels(VectorWidth.V256);
    private static final int MAX_MACS = 400_000;

    @Property(tries = 100)
    void matchesReference(@ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 300) int n,
                          @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(max = 7) int ldaPad,
                          @ForAll @IntRange(max = 7) int ldcPad, @ForAll @IntRange(max = 3) int aOffset,
                          @ForAll boolean subRange, @ForAll boolean wide, @ForAll long seed) {
        int rows = Math.max(1, Math.min(m, MAX_MACS / (n * k)));
        int nStart = subRange ? Math.floorMod((int) seed, n) : 0;
        int nEnd = subRange ? nStart + Math.floorMod((int) (seed >>> 20), n - nStart) + 1 : n;
        new FloatGemmKernelTester().m(rows).n(n).k(k).lda(k + ldaPad).ldc(n + ldcPad).aOffset(aOffset).cOffset(ldcPad)
                .nRange(nStart, nEnd).seed(seed).test(wide ? V512 : V256);
    }

    @TestFactory
    Stream<DynamicTest> edgeCasesV512() {
        return KernelCases.dynamicTests(KernelCases.floatGemm(FGemm4x48V512.MR, FGemm4x48V512.NR, 2), t -> t.test(V512));
    }

    @TestFactory
    Stream<DynamicTest> edgeCasesV256() {
        return KernelCases.dynamicTests(KernelCases.floatGemm(FGemm4x24V256.MR, FGemm4x24V256.NR, 2), t -> t.test(V256));
    }

    /** K across several reduction blocks (partial sums round-trip through C) and M across row blocks. */
    @Test
    void severalReductionAndRowBlocks() {
        new FloatGemmKernelTester().m(6).n(50).k(2 * FGemmDriver.KC + 37).nRange(1, 49).seed(1).test(V512);
        new FloatGemmKernelTester().m(FGemmDriver.MC + 5).n(26).k(2 * FGemmDriver.KC + 3).seed(2).test(V256);
        new FloatGemmKernelTester().m(FGemmDriver.MC + 2).n(3).k(19).seed(3).test(V512);
    }

    @Test
    void rejectsBadArguments() {
        BadArgumentsTester.testFloatGemm(V512);
        BadArgumentsTester.testFloatGemm(V256);
        assertThrows(IllegalArgumentException.class, () -> new X86FloatGemmKernels(VectorWidth.SCALAR));
    }

    @Test
    void packedWeightsRememberEngineAndWidth() {
        PackedFloatWeights p = V256.pack(new float[6], 2, 3);
        assertEquals("fbgemm", p.engine());
        assertEquals(VectorWidth.V256, p.width());
        assertEquals(2, p.n());
        assertEquals(3, p.k());
        assertThrows(IllegalArgumentException.class,
                () -> V512.gemm(new float[3], 0, 3, 1, p, 0, 2, null, 0f, 1f, new float[2], 0, 2));
    }
}
