package dev.vquant.arm.fdepthwise;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.BadArgumentsTester;
import dev.vquant.engine.testing.FloatDepthwiseKernelTester;
import dev.vquant.engine.testing.TestBackends;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The 128-bit float depthwise convolution equals the reference within the shared tolerance: 3x3
 * unrolled kernel and the general one, strides, padding, dilation, channel tails, bias, clamps.
 */
class FloatDepthwiseKernelsV128Test {
    private static final FloatDepthwiseKernelsV128 KERNELS = new FloatDepthwiseKernelsV128();

    @Property
    void equalsReference(@ForAll @IntRange(min = 1, max = 300) int channels, @ForAll @IntRange(min = 1, max = 2) int batch,
                         @ForAll @IntRange(min = 1, max = 10) int h, @ForAll @IntRange(min = 1, max = 10) int w,
                         @ForAll @IntRange(min = 1, max = 6) int kh, @ForAll @IntRange(min = 1, max = 6) int kw,
                         @ForAll boolean threeByThree, @ForAll @IntRange(min = 1, max = 2) int stride,
                         @ForAll @IntRange(max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                         @ForAll long seed) {
        FloatDepthwiseKernelTester t = new FloatDepthwiseKernelTester().channels(channels).batch(batch).size(h, w)
                .kernel(threeByThree ? 3 : kh, threeByThree ? 3 : kw).stride(stride).pad(pad)
                .dilation(threeByThree ? 1 : dilation).seed(seed);
        t.fitKernel();
        t.test(KERNELS);
    }

    @Test
    void typicalLayers() {
        new FloatDepthwiseKernelTester().channels(144).size(20, 21).kernel(3).pad(1).seed(1).test(KERNELS);
        new FloatDepthwiseKernelTester().channels(67).size(13, 9).kernel(5).pad(2).stride(2).rows(2, 5).seed(2).test(KERNELS);
    }

    @Test
    void packedWeightsRememberEngineAndWidth() {
        PackedFloatDepthwiseWeights p = KERNELS.pack(new float[18], 2, 3, 3);
        assertEquals("qnnpack", p.engine());
        assertEquals(VectorWidth.V128, p.width());
    }

    @Test
    void rejectsBadArguments() {
        BadArgumentsTester.testFloatDepthwise(KERNELS);
        PackedFloatDepthwiseWeights p = KERNELS.pack(new float[18], 2, 3, 3);
        PackedFloatDepthwiseWeights foreign = TestBackends.reference().floatDepthwise().pack(new float[18], 2, 3, 3);
        ConvGeometry g = ConvGeometry.square(3, 1, 1);
        float[] x = new float[32];
        float[] out = new float[32];
        assertThrows(IllegalArgumentException.class, () -> KERNELS.pack(new float[17], 2, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.conv(x, 1, 4, 4, foreign, g, null, -1, 1, 0, 4, out));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.conv(x, 1, 4, 4, p, g, new float[3], -1, 1, 0, 4, out));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.conv(x, 1, 4, 4, p, g, null, -1, 1, 0, 5, out));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.conv(x, 1, 5, 4, p, g, null, -1, 1, 0, 4, out));
    }
}
