package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.BadArgumentsTester;
import dev.vquant.engine.testing.FloatDepthwiseKernelTester;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The x86 float depthwise family at both widths equals the reference within the shared
 * tolerance ({@link FloatDepthwiseKernelTester}: bias, clamps, canaries, row sub-ranges).
 */
class X86FloatDepthwiseKernelsTest {
    private static final X86FloatDepthwiseKernels V512 = new X86FloatDepthwiseKernels(VectorWidth.V512);
    private static final X86FloatDepthwiseKernels V256 = new X86FloatDepthwiseKernels(VectorWidth.V256);

    @Property(tries = 40)
    void fastSizesEqualReference(@ForAll @IntRange(min = 1, max = 300) int channels,
                                 @ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 11) int h,
                                 @ForAll @IntRange(min = 1, max = 11) int w, @ForAll boolean five,
                                 @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(max = 2) int pad,
                                 @ForAll boolean subRange, @ForAll long seed) {
        int k = five ? 5 : 3;
        check(channels, batch, h, w, k, k, stride, pad, 1, subRange, seed);
    }

    @Property(tries = 25)
    void generalGeometryEqualsReference(@ForAll @IntRange(min = 1, max = 70) int channels,
                                        @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                        @ForAll @IntRange(min = 1, max = 7) int kh, @ForAll @IntRange(min = 1, max = 7) int kw,
                                        @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(max = 3) int pad,
                                        @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll long seed) {
        check(channels, 1, h, w, kh, kw, stride, pad, dilation, true, seed);
    }

    /** Images wider than {@link FloatDwDriver#RING_MAX_WIDTH} take the direct path with border patches. */
    @Test
    void wideImagesEqualReference() {
        for (X86FloatDepthwiseKernels k : new X86FloatDepthwiseKernels[] {V512, V256}) {
            new FloatDepthwiseKernelTester().channels(37).size(9, 40).kernel(3).pad(1).seed(3).test(k);
            new FloatDepthwiseKernelTester().channels(16).batch(2).size(7, 35).kernel(3).stride(2).pad(1).rows(1, 7)
                    .seed(4).test(k);
            new FloatDepthwiseKernelTester().channels(21).size(8, 33).kernel(5).pad(2).seed(5).test(k);
            new FloatDepthwiseKernelTester().channels(40).size(6, 30).kernel(3, 4).pad(0).dilation(2).seed(6).test(k);
            new FloatDepthwiseKernelTester().channels(19).size(5, 18).kernel(7).pad(1).seed(7).test(k);
        }
    }

    @Test
    void rejectsBadArguments() {
        BadArgumentsTester.testFloatDepthwise(V512);
        BadArgumentsTester.testFloatDepthwise(V256);
        assertThrows(IllegalArgumentException.class, () -> new X86FloatDepthwiseKernels(VectorWidth.SCALAR));
        var pw = V512.pack(new float[9 * 4], 4, 3, 3);
        ConvGeometry g = ConvGeometry.square(3, 1, 1);
        float[] x = new float[5 * 5 * 4];
        assertThrows(IllegalArgumentException.class, () -> V512.conv(x, 1, 5, 5, pw, g, null, 0f, 1f, 0, 5, new float[99]));
        assertThrows(IllegalArgumentException.class, () -> V512.conv(x, 1, 5, 5, pw, g, new float[3], 0f, 1f, 0, 5, new float[100]));
        assertThrows(IllegalArgumentException.class, () -> V512.conv(x, 1, 5, 5, pw, g, null, 2f, 1f, 0, 5, new float[100]));
        assertThrows(IllegalArgumentException.class, () -> V256.conv(x, 1, 5, 5, pw, g, null, 0f, 1f, 0, 5, new float[100]));
    }

    static void check(int channels, int batch, int h, int w, int kh, int kw, int stride, int pad, int dilation,
                      boolean subRange, long seed) {
        // grow the image until the dilated kernel fits, so that few tries are rejected
        h = Math.max(h, dilation * (kh - 1) + 1 - 2 * pad);
        w = Math.max(w, dilation * (kw - 1) + 1 - 2 * pad);
        FloatDepthwiseKernelTester t = new FloatDepthwiseKernelTester().channels(channels).batch(batch).size(h, w)
                .kernel(kh, kw).stride(stride).pad(pad).dilation(dilation).seed(seed);
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
