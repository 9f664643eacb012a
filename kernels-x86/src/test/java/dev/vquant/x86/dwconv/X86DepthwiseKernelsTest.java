package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.BadArgumentsTester;
import dev.vquant.engine.testing.DepthwiseKernelTester;
import dev.vquant.engine.testing.Extremes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The x86 int8 depthwise family at both widths equals the reference bit for bit through the
 * shared {@link DepthwiseKernelTester} (int32 accumulators and every requantization mode).
 */
class X86DepthwiseKernelsTest {
    private static final X86DepthwiseKernels V512 = new X86DepthwiseKernels(VectorWidth.V512);
    private static final X86DepthwiseKernels V256 = new X86DepthwiseKernels(VectorWidth.V256);

    /** The fast kernel sizes (3x3, 5x5), strides 1 and 2, pads 0..2, any channel count, row sub-ranges. */
    @Property(tries = 50)
    void fastSizesEqualReference(@ForAll @IntRange(min = 1, max = 300) int channels,
                                 @ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 11) int h,
                                 @ForAll @IntRange(min = 1, max = 11) int w, @ForAll boolean five,
                                 @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(max = 2) int pad,
                                 @ForAll boolean perChannel, @ForAll Extremes extremes, @ForAll boolean sevenBit,
                                 @ForAll boolean subRange, @ForAll long seed) {
        int k = five ? 5 : 3;
        check(channels, batch, h, w, k, k, stride, pad, 1, perChannel, extremes, sevenBit, subRange, seed);
    }

    /** Other sizes, rectangular kernels and dilation run the general kernel. */
    @Property(tries = 30)
    void generalGeometryEqualsReference(@ForAll @IntRange(min = 1, max = 70) int channels,
                                        @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                        @ForAll @IntRange(min = 1, max = 7) int kh, @ForAll @IntRange(min = 1, max = 7) int kw,
                                        @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(max = 3) int pad,
                                        @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean perChannel,
                                        @ForAll Extremes extremes, @ForAll long seed) {
        check(channels, 1, h, w, kh, kw, stride, pad, dilation, perChannel, extremes, false, true, seed);
    }

    @Test
    void largestAccumulatorsAndImages() {
        for (X86DepthwiseKernels k : new X86DepthwiseKernels[] {V512, V256}) {
            new DepthwiseKernelTester().channels(77).size(13, 12).kernel(5).pad(2).extremes(Extremes.ONLY)
                    .perChannel(true).seed(8).test(k);
            new DepthwiseKernelTester().channels(33).size(12, 10).kernel(7).pad(3).extremes(Extremes.ONLY)
                    .seed(9).test(k);
            new DepthwiseKernelTester().channels(64).size(17, 17).kernel(3).stride(2).pad(1).extremes(Extremes.ONLY)
                    .perChannel(true).seed(10).test(k);
            new DepthwiseKernelTester().channels(144).size(20, 21).kernel(3).pad(1).seed(11).test(k);
        }
    }

    /** Threads sharing one kernels object and packed weights, on different shapes and row ranges. */
    @Test
    void threadsShareKernelsSafely() throws Exception {
        for (X86DepthwiseKernels k : new X86DepthwiseKernels[] {V512, V256}) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
            int c = 48;
            byte[] wt = new byte[c * 9];
            byte[] x = new byte[2 * 15 * 13 * c];
            for (int i = 0; i < wt.length; i++) {
                wt[i] = (byte) (rng.nextInt(256) - 128);
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (byte) rng.nextInt(256);
            }
            var pw = k.pack(wt, c, 3, 3, new int[] {0});
            ConvGeometry[] geometries = {ConvGeometry.square(3, 1, 1), ConvGeometry.square(3, 2, 1)};
            int[][] expected = new int[2][];
            for (int s = 0; s < 2; s++) {
                int rows = 2 * geometries[s].outH(15);
                expected[s] = new int[rows * geometries[s].outW(13) * c];
                k.convInt32(x, 2, 15, 13, 7, pw, geometries[s], 0, rows, expected[s]);
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int s = t % 2;
                    runs.add(pool.submit(() -> {
                        for (int it = 0; it < 8; it++) {
                            int rows = 2 * geometries[s].outH(15);
                            int[] got = new int[expected[s].length];
                            // two halves of the rows, as an operator splitting work would call them
                            k.convInt32(x, 2, 15, 13, 7, pw, geometries[s], 0, rows / 2, got);
                            k.convInt32(x, 2, 15, 13, 7, pw, geometries[s], rows / 2, rows, got);
                            if (!java.util.Arrays.equals(expected[s], got)) {
                                throw new AssertionError("concurrent result differs, shape " + s);
                            }
                        }
                        return null;
                    }));
                }
                for (var f : runs) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        // messages that name the problem, at the SPI entry points of both widths
        BadArgumentsTester.testDepthwise(V512);
        BadArgumentsTester.testDepthwise(V256);
        assertThrows(IllegalArgumentException.class, () -> new X86DepthwiseKernels(VectorWidth.V128));
        byte[] wt = new byte[9 * 4];
        var pw = V512.pack(wt, 4, 3, 3, new int[] {0});
        ConvGeometry g = ConvGeometry.square(3, 1, 1);
        byte[] x = new byte[5 * 5 * 4];
        assertThrows(IllegalArgumentException.class, () -> V512.convInt32(x, 1, 5, 5, 0, pw, g, 0, 5, new int[99]));
        assertThrows(IllegalArgumentException.class, () -> V512.convInt32(x, 1, 5, 5, 0, pw, g, 0, 6, new int[100]));
        assertThrows(IllegalArgumentException.class, () -> V512.convInt32(x, 1, 5, 5, 256, pw, g, 0, 5, new int[100]));
        assertThrows(IllegalArgumentException.class, () -> V256.convInt32(x, 1, 5, 5, 0, pw, g, 0, 5, new int[100]));
        assertThrows(IllegalArgumentException.class,
                () -> V512.convInt32(x, 1, 5, 5, 0, pw, ConvGeometry.square(5, 1, 1), 0, 5, new int[100]));
        assertThrows(IllegalArgumentException.class, () -> V512.pack(wt, 4, 3, 3, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> V512.pack(wt, 5, 3, 3, new int[] {0}));
    }

    static void check(int channels, int batch, int h, int w, int kh, int kw, int stride, int pad, int dilation,
                      boolean perChannel, Extremes extremes, boolean sevenBit, boolean subRange, long seed) {
        // grow the image until the dilated kernel fits, so that few tries are rejected
        h = Math.max(h, dilation * (kh - 1) + 1 - 2 * pad);
        w = Math.max(w, dilation * (kw - 1) + 1 - 2 * pad);
        DepthwiseKernelTester t = new DepthwiseKernelTester().channels(channels).batch(batch).size(h, w).kernel(kh, kw)
                .stride(stride).pad(pad).dilation(dilation).perChannel(perChannel).extremes(extremes)
                .activationMax(sevenBit ? 127 : 255).seed(seed);
        t.fitKernel();
        if (subRange) {
            int rows = batch * new ConvGeometry(kh, kw, stride, stride, pad, pad, dilation, dilation).outH(h);
            int start = (int) Math.floorMod(seed, rows);
            int end = start + (int) Math.floorMod(seed >>> 17, rows - start + 1);
            t.rows(start, end);
        }
        t.test(V512);
        t.test(V256);
    }
}
