package dev.vquant.x86.quantize;

import dev.vquant.engine.DType;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.engine.testing.QuantizeKernelTester;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The x86 quantize family at both widths equals the reference bit for bit (via the shared
 * {@link QuantizeKernelTester}: odd lengths, offsets, ties, +-inf, huge values, every byte,
 * per-channel runs long and short, channels innermost).
 */
class X86QuantizeKernelsTest {
    private static final X86QuantizeKernels V512 = new X86QuantizeKernels(VectorWidth.V512);
    private static final X86QuantizeKernels V256 = new X86QuantizeKernels(VectorWidth.V256);

    @Property(tries = 60)
    void equalsReference(@ForAll @IntRange(max = 300) int length, @ForAll @IntRange(max = 17) int xOffset,
                         @ForAll @IntRange(max = 17) int qOffset, @ForAll boolean signed,
                         @ForAll @IntRange(min = 1, max = 3) int outer, @ForAll @IntRange(min = 1, max = 70) int channels,
                         @ForAll @IntRange(max = 40) int inner, @ForAll long seed) {
        for (X86QuantizeKernels k : new X86QuantizeKernels[] {V512, V256}) {
            new QuantizeKernelTester().length(length).xOffset(xOffset).qOffset(qOffset)
                    .dtype(signed ? DType.QINT8 : DType.QUINT8).perChannelShape(outer, channels, inner).seed(seed).test(k);
        }
    }

    @Property(tries = 20)
    void channelsInnermostEqualsReference(@ForAll @IntRange(min = 1, max = 5) int outer,
                                          @ForAll @IntRange(min = 1, max = 300) int channels, @ForAll boolean signed,
                                          @ForAll long seed) {
        for (X86QuantizeKernels k : new X86QuantizeKernels[] {V512, V256}) {
            new QuantizeKernelTester().length(channels).dtype(signed ? DType.QINT8 : DType.QUINT8)
                    .perChannelShape(outer, channels, 1).seed(seed).test(k);
        }
    }

    @Test
    void longRunsAndExtremeZeroPoints() {
        for (X86QuantizeKernels k : new X86QuantizeKernels[] {V512, V256}) {
            new QuantizeKernelTester().length(4099).xOffset(1).qOffset(2).perChannelShape(3, 17, 31).seed(9).test(k);
            new QuantizeKernelTester().length(1000).zeroPoint(255).seed(10).test(k);
            new QuantizeKernelTester().length(1000).zeroPoint(0).seed(11).test(k);
            new QuantizeKernelTester().length(1000).dtype(DType.QINT8).zeroPoint(-128).seed(12).test(k);
            new QuantizeKernelTester().length(1000).dtype(DType.QINT8).zeroPoint(127).scale(0x1p-3f).seed(13).test(k);
        }
    }

    @Test
    void rejectsOtherWidths() {
        assertThrows(IllegalArgumentException.class, () -> new X86QuantizeKernels(VectorWidth.V128));
        assertThrows(IllegalArgumentException.class, () -> new X86QuantizeKernels(VectorWidth.SCALAR));
        assertThrows(IllegalArgumentException.class, () -> new X86QuantizeKernels(null));
    }

    @Test
    void rejectsBadArguments() {
        byte[] q = new byte[8];
        float[] x = new float[8];
        assertThrows(IllegalArgumentException.class, () -> V512.quantize(x, 2, q, 0, 7, 1f, 0, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> V512.quantize(x, 0, q, 0, 8, 0f, 0, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> V256.dequantize(q, 0, x, 0, 8, 1f, 300, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> V256.quantize(null, 0, q, 0, 1, 1f, 0, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> V512.requantize(new int[4], 0, q, 6, 4, 0.5f, 0, 0, 255));
        assertThrows(IllegalArgumentException.class,
                () -> V512.quantizePerChannel(x, q, 2, 2, 3, new float[] {1f, 1f}, new int[] {0, 0}, DType.QUINT8));
    }
}
