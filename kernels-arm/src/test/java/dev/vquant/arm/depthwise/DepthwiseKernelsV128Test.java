package dev.vquant.arm.depthwise;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.BadArgumentsTester;
import dev.vquant.engine.testing.DepthwiseKernelTester;
import dev.vquant.engine.testing.Extremes;
import dev.vquant.engine.testing.TestBackends;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The 128-bit int8 depthwise convolution equals the reference bit for bit through the shared
 * {@link DepthwiseKernelTester} (int32 accumulators and every requantization mode): 3x3 single
 * pass, 5x5 multi-pass, other sizes and dilation on the general multi-pass path; strides,
 * padding, channel tails, per-tensor and per-channel zero points, extremes, row sub-ranges.
 */
class DepthwiseKernelsV128Test {
    private static final DepthwiseKernelsV128 KERNELS = new DepthwiseKernelsV128();

    @Property
    void fastSizesEqualReference(@ForAll @IntRange(min = 1, max = 300) int channels,
                                 @ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 11) int h,
                                 @ForAll @IntRange(min = 1, max = 11) int w, @ForAll boolean five,
                                 @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(max = 2) int pad,
                                 @ForAll boolean perChannel, @ForAll Extremes extremes, @ForAll boolean subRange,
                                 @ForAll long seed) {
        int k = five ? 5 : 3;
        check(channels, batch, h, w, k, k, stride, pad, 1, perChannel, extremes, subRange, seed);
    }

    @Property
    void generalGeometryEqualsReference(@ForAll @IntRange(min = 1, max = 70) int channels,
                                        @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                        @ForAll @IntRange(min = 1, max = 7) int kh, @ForAll @IntRange(min = 1, max = 7) int kw,
                                        @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(max = 3) int pad,
                                        @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean perChannel,
                                        @ForAll Extremes extremes, @ForAll long seed) {
        check(channels, 1, h, w, kh, kw, stride, pad, dilation, perChannel, extremes, true, seed);
    }

    private static void check(int channels, int batch, int h, int w, int kh, int kw, int stride, int pad, int dilation,
                              boolean perChannel, Extremes extremes, boolean subRange, long seed) {
        DepthwiseKernelTester t = new DepthwiseKernelTester().channels(channels).batch(batch).size(h, w).kernel(kh, kw)
                .stride(stride).pad(pad).dilation(dilation).perChannel(perChannel).extremes(extremes).seed(seed);
        t.fitKernel();
        if (subRange) {
            int rows = batch * t.geometry().outH(h);
            int start = Math.floorMod((int) seed, rows);
            t.rows(start, start + Math.floorMod((int) (seed >>> 16), rows - start) + 1);
        }
        t.test(KERNELS);
    }

    @Test
    void largestAccumulators() {
        new DepthwiseKernelTester().channels(77).size(7, 6).kernel(5).pad(2).extremes(Extremes.ONLY)
                .perChannel(true).seed(8).test(KERNELS);
        new DepthwiseKernelTester().channels(64).size(9, 9).kernel(3).stride(2).pad(1).extremes(Extremes.ONLY)
                .perChannel(true).seed(10).test(KERNELS);
    }

    /** Larger images and a 7x7 kernel (skipped under emulation: see the arm64 profile). */
    @Test
    @Tag("large")
    void largeImages() {
        new DepthwiseKernelTester().channels(77).size(13, 12).kernel(5).pad(2).extremes(Extremes.ONLY)
                .perChannel(true).seed(8).test(KERNELS);
        new DepthwiseKernelTester().channels(33).size(12, 10).kernel(7).pad(3).extremes(Extremes.ONLY).seed(9).test(KERNELS);
        new DepthwiseKernelTester().channels(64).size(17, 17).kernel(3).stride(2).pad(1).extremes(Extremes.ONLY)
                .perChannel(true).seed(10).test(KERNELS);
        new DepthwiseKernelTester().channels(144).size(20, 21).kernel(3).pad(1).seed(11).test(KERNELS);
    }

    @Test
    void packedWeightsRememberEngineAndWidth() {
        PackedDepthwiseWeights p = KERNELS.pack(new byte[18], 2, 3, 3, new int[] {0});
        assertEquals("qnnpack", p.engine());
        assertEquals(VectorWidth.V128, p.width());
        assertEquals(3, p.kernelH());
    }

    @Test
    void rejectsBadArguments() {
        BadArgumentsTester.testDepthwise(KERNELS);
        PackedDepthwiseWeights p = KERNELS.pack(new byte[18], 2, 3, 3, new int[] {0});
        PackedDepthwiseWeights foreign = TestBackends.reference().depthwise().pack(new byte[18], 2, 3, 3, new int[] {0});
        ConvGeometry g = ConvGeometry.square(3, 1, 1);
        byte[] x = new byte[2 * 4 * 4];
        int[] out = new int[2 * 4 * 4];
        assertThrows(IllegalArgumentException.class, () -> KERNELS.pack(new byte[17], 2, 3, 3, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.pack(new byte[18], 2, 3, 3, new int[] {0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.convInt32(x, 1, 4, 4, 0, foreign, g, 0, 4, out));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.convInt32(x, 1, 4, 4, 0, p, g, 0, 5, out));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.convInt32(x, 1, 4, 5, 0, p, g, 0, 4, out));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.convInt32(x, 1, 4, 4, -1, p, g, 0, 4, out));
        assertThrows(IllegalArgumentException.class,
                () -> KERNELS.convInt32(x, 1, 4, 4, 0, p, ConvGeometry.square(5, 1, 2), 0, 4, out));
        Requantization rq = Requantization.qnnpack(0.1, new double[] {0.1}, null, 0.2, 3, false, 3);
        assertThrows(IllegalArgumentException.class,
                () -> KERNELS.convRequantize(x, 1, 4, 4, 0, p, g, rq, 0, 4, new byte[32]));
    }
}
