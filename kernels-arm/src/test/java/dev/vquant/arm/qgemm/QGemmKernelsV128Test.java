package dev.vquant.arm.qgemm;

import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.Extremes;
import dev.vquant.engine.testing.QGemmKernelTester;
import dev.vquant.engine.testing.TestBackends;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The 128-bit int8 GEMM equals the reference bit for bit through the shared
 * {@link QGemmKernelTester}: int32 accumulators, every requantization mode (qnnpack INT_BIAS,
 * fbgemm FLOAT_BIAS, FIXED_POINT; ReLU; ties) and float output (fused, unfused), over random
 * shapes with M/N/K tails, strides, column sub-ranges, per-tensor and per-channel zero points,
 * full 8-bit activations and extreme values, batch 1 (GEMV path) and K past every bound.
 */
class QGemmKernelsV128Test {
    private static final QGemmKernelsV128 KERNELS = new QGemmKernelsV128();
    /** Bounds the reference's cost per try (it recomputes the GEMM for each of ~16 output stages). */
    private static final int MAX_MACS = 400_000;

    @Property
    void equalsReference(@ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 300) int n,
                         @ForAll @IntRange(min = 1, max = 300) int k, @ForAll @IntRange(max = 9) int ldaPad,
                         @ForAll @IntRange(max = 9) int ldcPad, @ForAll @IntRange(max = 5) int aOffset,
                         @ForAll boolean subRange, @ForAll boolean perChannel, @ForAll Extremes extremes,
                         @ForAll long seed) {
        int rows = Math.max(1, Math.min(m, MAX_MACS / (n * k)));
        int nStart = subRange ? Math.floorMod((int) seed, n) : 0;
        int nEnd = subRange ? nStart + Math.floorMod((int) (seed >>> 20), n - nStart) + 1 : n;
        new QGemmKernelTester().m(rows).n(n).k(k).lda(k + ldaPad).ldc(n + ldcPad).aOffset(aOffset).cOffset(ldcPad)
                .nRange(nStart, nEnd).perChannel(perChannel).extremes(extremes).seed(seed).test(KERNELS);
    }

    /** Batch 1 (GEMV kernels): odd K (pair tail), every N tail. */
    @Property
    void batchOneEqualsReference(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 1, max = 1200) int k,
                                 @ForAll boolean perChannel, @ForAll Extremes extremes, @ForAll long seed) {
        new QGemmKernelTester().m(1).n(n).k(k).perChannel(perChannel).extremes(extremes).seed(seed).test(KERNELS);
    }

    @Test
    void largestAccumulatorsAtEveryZeroPointExtreme() {
        for (int za : new int[] {0, 255}) {
            for (int zw : new int[] {-128, 127, 0}) {
                new QGemmKernelTester().m(7).n(19).k(1023).aZeroPoint(za).weightZeroPoints(zw)
                        .extremes(Extremes.ONLY).seed(za * 7L + zw).test(KERNELS);
            }
        }
    }

    /**
     * K = 70001 (odd) is past the bound where the true sum leaves int32 at the extremes (~33000)
     * and past the "pmu" trick's nominal 16-bit carry bound (~66000): the kernels stay exact
     * modulo 2^32, for the tiled and the batch-1 path, per tensor and per channel.
     */
    @Test
    void exactPastEveryKBound() {
        new QGemmKernelTester().m(5).n(9).k(70_001).extremes(Extremes.ONLY).seed(1).test(KERNELS);
        new QGemmKernelTester().m(1).n(17).k(70_001).extremes(Extremes.ONLY).perChannel(true).seed(2).test(KERNELS);
        new QGemmKernelTester().m(6).n(11).k(140_000).aZeroPoint(0).weightZeroPoints(-128).extremes(Extremes.ONLY)
                .seed(3).test(KERNELS);
    }

    /**
     * Batch 1 with weights too large to keep 16-bit panels cache-resident runs the byte-streaming
     * GEMV kernel (smaller ones run the 16-bit one, covered by {@link #batchOneEqualsReference}).
     */
    @Test
    void batchOneStreamingBytes() {
        new QGemmKernelTester().m(1).n(9).k(270_001).extremes(Extremes.ONLY).seed(5).test(KERNELS);
        new QGemmKernelTester().m(1).n(13).k(170_003).perChannel(true).nRange(1, 12).seed(6).test(KERNELS);
    }

    /**
     * A too large for the per-thread pack-once budget (4M ints) is packed per column chunk instead
     * (skipped under emulation: see the arm64 profile).
     */
    @Test
    @Tag("large")
    void activationsPackedPerChunk() {
        new QGemmKernelTester().m(33).n(2).k(260_001).seed(7).test(KERNELS);
    }

    /** Shapes larger than one L2 column chunk (several chunks, each re-packing the A rows). */
    @Test
    void severalColumnChunks() {
        new QGemmKernelTester().m(9).n(301).k(1500).perChannel(true).nRange(5, 299).seed(4).test(KERNELS);
    }

    @Test
    void packedWeightsRememberEngineAndWidth() {
        PackedQGemmWeights p = KERNELS.pack(new byte[6], 2, 3, new int[] {0});
        assertEquals("qnnpack", p.engine());
        assertEquals(VectorWidth.V128, p.width());
        assertEquals(2, p.n());
        assertEquals(3, p.k());
    }

    @Test
    void rejectsBadArguments() {
        PackedQGemmWeights p = KERNELS.pack(new byte[12], 3, 4, new int[] {1, 2, 3});
        PackedQGemmWeights foreign = TestBackends.reference().qgemm().pack(new byte[12], 3, 4, new int[] {0});
        byte[] a = new byte[8];
        int[] c = new int[6];
        assertThrows(IllegalArgumentException.class, () -> KERNELS.pack(new byte[11], 3, 4, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.pack(new byte[12], 3, 4, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.pack(new byte[12], 3, 4, new int[] {128}));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.pack(new byte[12], 0, 4, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemmInt32(a, 0, 4, 3, 0, p, 0, 3, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemmInt32(a, 0, 4, 2, 256, p, 0, 3, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemmInt32(a, 0, 4, 2, 0, p, 2, 4, c, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemmInt32(a, 0, 4, 2, 0, p, 0, 3, new int[5], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.gemmInt32(a, 0, 4, 2, 0, foreign, 0, 3, c, 0, 3));
        Requantization rq = Requantization.qnnpack(0.1, new double[] {0.1}, null, 0.2, 3, false, 4);
        assertThrows(IllegalArgumentException.class,
                () -> KERNELS.gemmRequantize(a, 0, 4, 2, 0, p, 0, 3, rq, new byte[6], 0, 3));
    }
}
