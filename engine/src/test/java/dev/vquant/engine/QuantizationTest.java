package dev.vquant.engine;

import dev.vquant.engine.testing.NaiveMath;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tensor-level {@link Quantization} facade on the current engine. */
class QuantizationTest {

    @Test
    void perTensorRoundTripWithTies() {
        FloatTensor x = FloatTensor.of(new float[] {0.25f, 0.75f, -0.25f, 100f, -100f, 0f}, 2, 3);
        QParams qp = QParams.perTensor(0.5, 10, DType.QUINT8);
        QTensor q = Quantization.quantize(x, qp);
        assertArrayEquals(new int[] {2, 3}, q.shape());
        assertSame(qp, q.qparams());
        // 0.5 -> 0, 1.5 -> 2, -0.5 -> 0 (half to even), then + 10 and saturation
        int[] expected = {10, 12, 10, 210, 0, 10};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], q.intAt(i), "element " + i);
        }
        FloatTensor back = Quantization.dequantize(q);
        assertArrayEquals(new float[] {0f, 1f, 0f, 100f, -5f, 0f}, back.data());
        assertArrayEquals(new int[] {2, 3}, back.shape());
    }

    @Property(tries = 60)
    void perChannelAlongAnyAxis(@ForAll @IntRange(min = 1, max = 3) int d0, @ForAll @IntRange(min = 1, max = 4) int d1,
                                @ForAll @IntRange(min = 1, max = 5) int d2, @ForAll @IntRange(max = 2) int axis,
                                @ForAll boolean signed, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] shape = {d0, d1, d2};
        DType dtype = signed ? DType.QINT8 : DType.QUINT8;
        int channels = shape[axis];
        double[] scales = new double[channels];
        int[] zps = new int[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = Math.scalb(1.0, -rng.nextInt(6));
            zps[c] = dtype.min() + rng.nextInt(256);
        }
        float[] data = new float[d0 * d1 * d2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((rng.nextInt(-300, 300) + (rng.nextBoolean() ? 0.5 : 0)) * Math.scalb(1.0, -rng.nextInt(6)));
        }
        QTensor q = Quantization.quantize(FloatTensor.of(data, shape), QParams.perChannel(scales, zps, axis, dtype));
        FloatTensor back = Quantization.dequantize(q);
        for (int i0 = 0; i0 < d0; i0++) {
            for (int i1 = 0; i1 < d1; i1++) {
                for (int i2 = 0; i2 < d2; i2++) {
                    int flat = (i0 * d1 + i1) * d2 + i2;
                    int c = new int[] {i0, i1, i2}[axis];
                    int expected = NaiveMath.roundAddClamp(data[flat] / scales[c], zps[c], dtype.min(), dtype.max());
                    assertEquals(expected, q.intAt(flat), "element " + flat + " channel " + c);
                    assertEquals((float) ((expected - zps[c]) * scales[c]), back.data()[flat]);
                }
            }
        }
    }

    @Test
    void nanIsRejectedNamingItsIndex() {
        float[] data = new float[12];
        data[7] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantization.quantize(FloatTensor.of(data, 3, 4), QParams.perTensor(1, 0, DType.QUINT8)));
        assertTrue(e.getMessage().contains("element 7 (index [1, 3])"), e.getMessage());
    }

    @Test
    void badParametersAreRejected() {
        FloatTensor x = FloatTensor.of(new float[6], 2, 3);
        IllegalArgumentException axis = assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(x,
                QParams.perChannel(new double[] {1, 1}, new int[] {0, 0}, 2, DType.QINT8)));
        assertTrue(axis.getMessage().contains("axis 2 is out of range for shape [2, 3]"), axis.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(x,
                QParams.perChannel(new double[] {1, 1}, new int[] {0, 0}, 1, DType.QINT8)));
        assertTrue(count.getMessage().contains("2 channels but shape [2, 3] has 3 along axis 1"), count.getMessage());
        IllegalArgumentException int32 = assertThrows(IllegalArgumentException.class,
                () -> Quantization.quantize(x, QParams.perTensor(1, 0, DType.QINT32)));
        assertTrue(int32.getMessage().contains("qint32"), int32.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Quantization.dequantize(
                QTensor.ofInts(new int[2], new int[] {2}, QParams.perTensor(1, 0, DType.QINT32))));
        assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(null, QParams.perTensor(1, 0, DType.QINT8)));
    }

    @Test
    void emptyAndScalarTensors() {
        QTensor empty = Quantization.quantize(FloatTensor.of(new float[0], 0, 4), QParams.perTensor(1, 0, DType.QUINT8));
        assertEquals(0, empty.numel());
        QTensor scalar = Quantization.quantize(FloatTensor.of(new float[] {3.5f}), QParams.perTensor(1, 0, DType.QUINT8));
        assertEquals(4, scalar.intAt(0));
        assertEquals(0, scalar.rank());
    }
}
