package dev.vquant.arm.quantize;

import dev.vquant.engine.DType;
import dev.vquant.engine.testing.QuantizeKernelTester;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The 128-bit quantize family equals the reference bit for bit through the shared
 * {@link QuantizeKernelTester}: odd lengths and offsets, ties, +-inf and huge values, every byte,
 * per-channel runs (long, short, channels innermost), standalone requantize.
 */
class QuantizeKernelsV128Test {
    private static final QuantizeKernelsV128 KERNELS = new QuantizeKernelsV128();

    @Property
    void equalsReference(@ForAll @IntRange(max = 300) int length, @ForAll @IntRange(max = 17) int xOffset,
                         @ForAll @IntRange(max = 17) int qOffset, @ForAll boolean signed,
                         @ForAll @IntRange(min = 1, max = 3) int outer, @ForAll @IntRange(min = 1, max = 70) int channels,
                         @ForAll @IntRange(max = 40) int inner, @ForAll long seed) {
        new QuantizeKernelTester().length(length).xOffset(xOffset).qOffset(qOffset)
                .dtype(signed ? DType.QINT8 : DType.QUINT8).perChannelShape(outer, channels, inner).seed(seed).test(KERNELS);
    }

    @Property
    void channelsInnermostEqualsReference(@ForAll @IntRange(min = 1, max = 5) int outer,
                                          @ForAll @IntRange(min = 1, max = 300) int channels, @ForAll boolean signed,
                                          @ForAll long seed) {
        new QuantizeKernelTester().length(channels).dtype(signed ? DType.QINT8 : DType.QUINT8)
                .perChannelShape(outer, channels, 1).seed(seed).test(KERNELS);
    }

    @Test
    void longRunsAndExtremeZeroPoints() {
        new QuantizeKernelTester().length(4099).xOffset(1).qOffset(2).perChannelShape(3, 17, 31).seed(9).test(KERNELS);
        new QuantizeKernelTester().length(1000).zeroPoint(255).seed(10).test(KERNELS);
        new QuantizeKernelTester().length(1000).zeroPoint(0).seed(11).test(KERNELS);
        new QuantizeKernelTester().length(1000).dtype(DType.QINT8).zeroPoint(-128).seed(12).test(KERNELS);
        new QuantizeKernelTester().length(1000).dtype(DType.QINT8).zeroPoint(127).scale(0x1p-3f).seed(13).test(KERNELS);
    }

    @Test
    void rejectsBadArguments() {
        byte[] q = new byte[8];
        float[] x = new float[8];
        assertThrows(IllegalArgumentException.class, () -> KERNELS.quantize(x, 2, q, 0, 7, 1f, 0, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.quantize(x, 0, q, 0, 8, 0f, 0, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.dequantize(q, 0, x, 0, 8, 1f, 300, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.quantize(null, 0, q, 0, 1, 1f, 0, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.requantize(new int[4], 0, q, 6, 4, 0.5f, 0, 0, 255));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.requantize(new int[4], 0, q, 0, 4, 0f, 0, 0, 255));
        assertThrows(IllegalArgumentException.class, () -> KERNELS.requantize(new int[4], 0, q, 0, 4, 1f, 0, 9, 3));
        assertThrows(IllegalArgumentException.class,
                () -> KERNELS.quantizePerChannel(x, q, 2, 2, 3, new float[] {1f, 1f}, new int[] {0, 0}, DType.QUINT8));
        assertThrows(IllegalArgumentException.class,
                () -> KERNELS.dequantizePerChannel(q, x, 1, 2, 3, new double[] {1, 1}, new int[] {0, 256}, DType.QUINT8));
    }
}
