package dev.vquant.x86.qgemm;

import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.BadArgumentsTester;
import dev.vquant.engine.testing.Extremes;
import dev.vquant.engine.testing.KernelCases;
import dev.vquant.engine.testing.QGemmKernelTester;
import dev.vquant.engine.testing.TestBackends;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fbgemm int8 GEMM at both widths equals the reference bit for bit through the shared
 * {@link QGemmKernelTester} (int32, every requantization mode, float output fused and unfused):
 * random shapes 1..300 with all M/N/K tails, strides, column sub-ranges, per-tensor and
 * per-channel zero points, 7-bit and full-range activations, extremes, batch 1 and K past every
 * bound. The 7-bit path is shown to be taken only for data that is really 7-bit.
 */
class X86QGemmKernelsTest {
    private static final X86QGemmKernels V512 = new X86QGemmKernels(VectorWidth.V512);
    private static final X86QGemmKernels V256 = new X86QGemmKernels(VectorWidth.V256);
    /** Bounds the reference's cost per try (it recomputes the GEMM per output stage). */
    private static final int MAX_MACS = 300_000;

    private static X86QGemmKernels kernels(boolean wide) {
        return wide ? V512 : V256;
    }

    @Property(tries = 120)
    void equalsReference(@ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 300) int n,
                         @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(max = 9) int ldaPad,
                         @ForAll @IntRange(max = 9) int ldcPad, @ForAll @IntRange(max = 5) int aOffset,
                         @ForAll boolean subRange, @ForAll boolean perChannel, @ForAll boolean sevenBit,
                         @ForAll Extremes extremes, @ForAll boolean wide, @ForAll long seed) {
        int rows = Math.max(1, Math.min(m, MAX_MACS / (n * k)));
        int nStart = subRange ? Math.floorMod((int) seed, n) : 0;
        int nEnd = subRange ? nStart + Math.floorMod((int) (seed >>> 20), n - nStart) + 1 : n;
        new QGemmKernelTester().m(rows).n(n).k(k).lda(k + ldaPad).ldc(n + ldcPad).aOffset(aOffset).cOffset(ldcPad)
                .nRange(nStart, nEnd).perChannel(perChannel).activationMax(sevenBit ? 127 : 255).extremes(extremes)
                .seed(seed).test(kernels(wide));
    }

    /** One and two rows run the byte-panel batch-1 kernels: odd K (pair and quad tails), every N tail. */
    @Property(tries = 80)
    void smallBatchEqualsReference(@ForAll @IntRange(min = 1, max = 2) int m, @ForAll @IntRange(min = 1, max = 300) int n,
                                   @ForAll @IntRange(min = 1, max = 1200) int k, @ForAll boolean perChannel,
                                   @ForAll boolean sevenBit, @ForAll Extremes extremes, @ForAll boolean wide,
                                   @ForAll long seed) {
        new QGemmKernelTester().m(m).n(n).k(k).perChannel(perChannel).activationMax(sevenBit ? 127 : 255)
                .extremes(extremes).seed(seed).test(kernels(wide));
    }

    @TestFactory
    Stream<DynamicTest> edgeCasesV512() {
        return KernelCases.dynamicTests(KernelCases.qgemm(QGemm4x32c2V512.MR, QGemm4x32c2V512.NR, 4), t -> t.test(V512));
    }

    @TestFactory
    Stream<DynamicTest> edgeCasesV256() {
        return KernelCases.dynamicTests(KernelCases.qgemm(QGemm2x16c2V256.MR, QGemm2x16c2V256.NR, 4), t -> t.test(V256));
    }

    /**
     * K past every bound: several reduction blocks of {@code KCP} pairs, the sum leaving int32 at
     * the extremes (~33000) and past the "pmu" 16-bit carry bound (~66000), for the tiled and the
     * batch-1 paths, 7-bit and full range: exact modulo 2^32.
     */
    @Test
    void exactPastEveryKBound() {
        for (X86QGemmKernels x : new X86QGemmKernels[] {V512, V256}) {
            new QGemmKernelTester().m(5).n(9).k(70_001).extremes(Extremes.ONLY).seed(1).test(x);
            new QGemmKernelTester().m(4).n(33).k(70_001).activationMax(127).extremes(Extremes.ONLY).seed(2).test(x);
            new QGemmKernelTester().m(1).n(17).k(70_001).extremes(Extremes.ONLY).perChannel(true).seed(3).test(x);
            new QGemmKernelTester().m(2).n(17).k(70_003).activationMax(127).extremes(Extremes.ONLY).seed(4).test(x);
        }
    }

    /** K on both sides of one reduction block ({@code 2 * KCP} values), tiled and batch-1, 7-bit and full range. */
    @Test
    void kAtTheReductionBlockBoundary() {
        int kBlock = 2 * QGemmDriver.KCP;
        for (X86QGemmKernels x : new X86QGemmKernels[] {V512, V256}) {
            for (int k = kBlock - 1; k <= kBlock + 5; k++) {
                new QGemmKernelTester().m(5).n(19).k(k).extremes(Extremes.ONLY).seed(k).test(x);
                new QGemmKernelTester().m(1).n(19).k(k).activationMax(127).perChannel(true).seed(k + 1).test(x);
            }
        }
    }

    /** M at the packed row block size (MC) and one either side: the last row group full, partial, alone. */
    @Test
    void mAtTheRowBlockSize() {
        for (X86QGemmKernels x : new X86QGemmKernels[] {V512, V256}) {
            for (int m = QGemmDriver.MC - 1; m <= QGemmDriver.MC + 1; m++) {
                new QGemmKernelTester().m(m).n(37).k(45).perChannel(m % 2 == 0).seed(m).test(x);
            }
        }
    }

    /** More rows than one packed row block (MC), several panels, a column sub-range. */
    @Test
    void severalRowBlocksAndPanels() {
        new QGemmKernelTester().m(QGemmDriver.MC + 7).n(70).k(300).perChannel(true).nRange(3, 69).seed(5).test(V512);
        new QGemmKernelTester().m(QGemmDriver.MC + 3).n(41).k(301).activationMax(127).nRange(1, 40).seed(6)
                .test(V256);
    }

    @Test
    void rejectsBadArguments() {
        BadArgumentsTester.testQGemm(V512);
        BadArgumentsTester.testQGemm(V256);
    }

    @Test
    void packedWeightsRememberEngineAndWidth() {
        PackedQGemmWeights p = V512.pack(new byte[6], 2, 3, new int[] {5});
        assertEquals("fbgemm", p.engine());
        assertEquals(VectorWidth.V512, p.width());
        assertEquals(5, p.zeroPoint(1));
        assertEquals(VectorWidth.V256, V256.pack(new byte[6], 2, 3, new int[] {0, 1}).width());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> V256.gemmInt32(new byte[3], 0, 3, 1, 0, p, 0, 2, new int[2], 0, 2));
        assertTrue(e.getMessage().contains("V512"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new X86QGemmKernels(VectorWidth.V128));
    }

    /**
     * The 7-bit path runs only when every activation is at most 127, checked on the data: the same
     * 7-bit-looking inputs with one value of 128 take the exact path (tiled and batch 1), and both
     * results equal the reference.
     */
    @Test
    void sevenBitPathOnlyForSevenBitData() {
        int n = 40;
        int k = 301;
        SplittableRandom rng = new SplittableRandom(7);
        byte[] w = new byte[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (rng.nextInt(256) - 128);
        }
        for (X86QGemmKernels x : new X86QGemmKernels[] {V512, V256}) {
            PackedQGemmWeights pw = x.pack(w, n, k, new int[] {3});
            PackedQGemmWeights pr = TestBackends.reference().qgemm().pack(w, n, k, new int[] {3});
            for (int m : new int[] {1, 2, 9}) {
                byte[] a = new byte[m * k];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (byte) rng.nextInt(128);
                }
                int q7 = m <= 2 ? QGemmPath.GEMV_Q7 : QGemmPath.GEMM_Q7;
                int exact = m <= 2 ? QGemmPath.GEMV_EXACT : QGemmPath.GEMM_EXACT;
                assertEquals(q7, runAndCompare(x, a, m, k, n, pw, pr));
                a[a.length / 2] = (byte) 128;
                int paths = runAndCompare(x, a, m, k, n, pw, pr);
                if (m == 1) {
                    assertEquals(exact, paths, "a single row with 128 must not use the 7-bit kernel");
                } else if (m == 2) {
                    assertTrue((paths & exact) != 0, "the batch-1 row with 128 must take the exact path");
                } else {
                    assertEquals(QGemmPath.GEMM_Q7_OUTLIERS, paths,
                            "one activation of 128 in a block: the 7-bit kernel with its outlier corrected");
                }
                for (int i = 0; i < a.length; i++) {
                    a[i] = (byte) rng.nextInt(256);
                }
                assertEquals(exact, runAndCompare(x, a, m, k, n, pw, pr), "full-range data takes the exact path");
            }
        }
    }

    /**
     * 7-bit data with a few activations above 128..255 at random places (up to the corrected path's
     * bound and one past it): the corrected 7-bit path while there are at most
     * {@link QGemmDriver#maxOutliers} per row block, the exact path past it, equal to the
     * reference either way (several row blocks and reduction blocks included).
     */
    @Property(tries = 60)
    void sparseOutliersEqualReference(@ForAll @IntRange(min = 3, max = 400) int m,
                                      @ForAll @IntRange(min = 1, max = 300) int k,
                                      @ForAll @IntRange(min = 1, max = 70) int n, @ForAll boolean overBound,
                                      @ForAll boolean wide, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = Math.max(3, Math.min(m, 600_000 / (n * k)));
        byte[] w = new byte[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (rng.nextInt(256) - 128);
        }
        byte[] a = new byte[rows * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) rng.nextInt(128);
        }
        // the first row block's bound; every other block has at most as many outliers
        int firstBlock = Math.min(rows, QGemmDriver.MC);
        int max = QGemmDriver.maxOutliers(firstBlock, k);
        int count = overBound ? max + 1 : rng.nextInt(max + 1);
        for (int i = 0; i < count; i++) {
            int pos = rng.nextInt(firstBlock * k);
            while (a[pos] < 0) {
                pos = (pos + 1) % (firstBlock * k);
            }
            a[pos] = (byte) (128 + rng.nextInt(128));
        }
        X86QGemmKernels x = kernels(wide);
        int paths = runAndCompare(x, a, rows, k, n, x.pack(w, n, k, new int[] {-3}),
                TestBackends.reference().qgemm().pack(w, n, k, new int[] {-3}));
        int expected = overBound ? QGemmPath.GEMM_EXACT : count > 0 ? QGemmPath.GEMM_Q7_OUTLIERS : QGemmPath.GEMM_Q7;
        assertTrue((paths & expected) != 0, "paths " + paths + " for " + count + " outliers (bound " + max + ")");
    }

    private static int runAndCompare(X86QGemmKernels x, byte[] a, int m, int k, int n, PackedQGemmWeights pw,
                                     PackedQGemmWeights pr) {
        int[] mine = new int[m * n];
        int[] ref = new int[m * n];
        int paths = x.gemmInt32Paths(a, 0, k, m, 17, pw, 0, n, mine, 0, n);
        TestBackends.reference().qgemm().gemmInt32(a, 0, k, m, 17, pr, 0, n, ref, 0, n);
        assertArrayEquals(ref, mine);
        return paths;
    }

    /**
     * Why the check matters: on full-range data (255 x 127) two pair products sum past 16 bits, so
     * the 7-bit kernels give a wrong sum there. This keeps the path test above meaningful.
     */
    @Test
    void sevenBitKernelsWouldBeWrongOnFullRangeData() {
        int pairs = 4;
        int[] ap = new int[4 * pairs];
        java.util.Arrays.fill(ap, 255 | 255 << 16);
        short[] b = new short[pairs * 2 * QGemm4x32c4V512Q7.NR];
        java.util.Arrays.fill(b, (short) 255);
        int[] q7 = new int[4 * QGemm4x32c4V512Q7.NR];
        int[] exact = new int[4 * QGemm4x32c4V512Q7.NR];
        QGemm4x32c4V512Q7.run(ap, 0, pairs, b, 0, pairs, q7, 0);
        QGemm4x32c2V512.run(ap, 0, pairs, b, 0, pairs, exact, 0);
        assertEquals(2 * pairs * 255 * 255, exact[0]);
        assertFalse(q7[0] == exact[0], "the 7-bit kernel must overflow on 8-bit data");
        byte[] bb = new byte[b.length];
        java.util.Arrays.fill(bb, (byte) 255);
        int[] gemv = new int[QGemv1x16c4V256Q7.NR];
        QGemv1x16c4V256Q7.run(ap, 0, bb, 0, pairs, gemv, 0);
        assertFalse(gemv[0] == 2 * pairs * 255 * 255, "the 7-bit batch-1 kernel must overflow on 8-bit data");
    }
}
