package dev.vquant.quant.io;

import dev.vquant.engine.FloatTensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The converters give what PyTorch's {@code .float()}, {@code .double()}, {@code .long()} give: every
 * F16, BF16 and F8 bit pattern widened exactly (checked against the formats' definitions written out
 * independently), narrowing factories rounding to nearest even like {@code .half()} and
 * {@code .bfloat16()}, wide integers rounding to nearest even, and wrong dtypes or out-of-range values
 * refused with a message.
 */
class SafeTensorsConvertersTest {

    /** sign * 2^exponent * significand, computed in double (exact for every narrow format). */
    private static float value(int sign, long significand, int exponent) {
        return (float) ((sign != 0 ? -1 : 1) * Math.scalb((double) significand, exponent));
    }

    private static StoredTensor raw(SafeTensorsDType dtype, int count, int bytesPerElement, java.util.function.IntFunction<Long> bits) {
        ByteBuffer b = ByteBuffer.allocate(count * bytesPerElement).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            long v = bits.apply(i);
            for (int k = 0; k < bytesPerElement; k++) {
                b.put((byte) (v >>> (8 * k)));
            }
        }
        return StoredTensor.of(dtype, new long[]{count}, b.array());
    }

    /**
     * An IEEE-754-style binary format written out from its definition: bias 2^(e-1)-1, subnormals at
     * exponent 0, infinities and NaNs at the all-ones exponent.
     */
    private static float ieee(int bits, int exponentBits, int mantissaBits) {
        int sign = (bits >>> (exponentBits + mantissaBits)) & 1;
        int e = (bits >>> mantissaBits) & ((1 << exponentBits) - 1);
        int m = bits & ((1 << mantissaBits) - 1);
        int bias = (1 << (exponentBits - 1)) - 1;
        if (e == (1 << exponentBits) - 1) {
            return m != 0 ? Float.NaN : sign != 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        return e == 0 ? value(sign, m, 1 - bias - mantissaBits)
                : value(sign, (1L << mantissaBits) + m, e - bias - mantissaBits);
    }

    @Test
    void everyHalfAndBFloat16WidensExactly() {
        float[] half = raw(SafeTensorsDType.F16, 65536, 2, i -> (long) i).toFloatArray();
        float[] bf16 = raw(SafeTensorsDType.BF16, 65536, 2, i -> (long) i).toFloatArray();
        for (int i = 0; i < 65536; i++) {
            assertSame(ieee(i, 5, 10), half[i], "F16 0x" + Integer.toHexString(i));
            assertSame(ieee(i, 8, 7), bf16[i], "BF16 0x" + Integer.toHexString(i));
            assertEquals(i << 16, Float.floatToRawIntBits(bf16[i]), "BF16 keeps every bit, NaN payloads included");
        }
    }

    @Test
    void everyFloat8WidensExactly() {
        float[] e5m2 = raw(SafeTensorsDType.F8_E5M2, 256, 1, i -> (long) i).toFloatArray();
        float[] e4m3 = raw(SafeTensorsDType.F8_E4M3, 256, 1, i -> (long) i).toFloatArray();
        for (int i = 0; i < 256; i++) {
            assertSame(ieee(i, 5, 2), e5m2[i], "F8_E5M2 0x" + Integer.toHexString(i));
            // e4m3fn departs from IEEE: no infinities, the all-ones exponent holds normal numbers, S.1111.111 is NaN
            int e4 = (i >>> 3) & 0xF;
            int m3 = i & 0x7;
            float expected4 = e4 == 15 && m3 == 7 ? Float.NaN : e4 == 0 ? value(i >>> 7, m3, -9) : value(i >>> 7, 8 + m3, e4 - 10);
            assertSame(expected4, e4m3[i], "F8_E4M3 0x" + Integer.toHexString(i));
        }
        // anchors from the formats' definitions (torch.finfo)
        assertEquals(448f, e4m3[0x7E]);
        assertEquals(1f, e4m3[0x38]);
        assertEquals(0x1p-9f, e4m3[0x01]);
        assertEquals(57344f, e5m2[0x7B]);
        assertEquals(Float.POSITIVE_INFINITY, e5m2[0x7C]);
        assertEquals(1f, e5m2[0x3C]);
    }

    private static void assertSame(float expected, float actual, String what) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what + ": expected NaN, got " + actual);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                    what + ": expected " + expected + ", got " + actual);
        }
    }

    @Test
    void narrowingFactoriesRoundToNearestEven() {
        long[] s = {6};
        // F16: 1 + 2^-11 is a tie between 1 and 1 + 2^-10 -> even (1); 1 + 3*2^-11 -> 1 + 2^-9; overflow -> inf
        float[] in = {1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 65520f, 65519f, 0x1p-25f, 0x1.8p-25f};
        float[] out = StoredTensor.ofHalf(s, in).toFloatArray();
        assertArrayEquals(new float[]{1f, 1f + 0x1p-9f, Float.POSITIVE_INFINITY, 65504f, 0f, 0x1p-24f}, out);
        // BF16: ties to even on the 16 dropped bits; rounding can carry into the exponent
        float[] bin = {Float.intBitsToFloat(0x3F808000), Float.intBitsToFloat(0x3F818000), Float.intBitsToFloat(0x3F808001),
                Float.intBitsToFloat(0x3FFFFFFF), Float.intBitsToFloat(0x7F7FFFFF), -0f};
        StoredTensor b = StoredTensor.ofBFloat16(s, bin);
        assertArrayEquals(new float[]{Float.intBitsToFloat(0x3F800000), Float.intBitsToFloat(0x3F820000),
                Float.intBitsToFloat(0x3F810000), 2f, Float.POSITIVE_INFINITY, -0f}, b.toFloatArray());
        // NaN becomes PyTorch's canonical NaN
        byte[] nanBf16 = StoredTensor.ofBFloat16(new long[]{}, new float[]{Float.intBitsToFloat(0xFFC12345)}).toBytes();
        assertArrayEquals(new byte[]{(byte) 0xC0, 0x7F}, nanBf16);
        byte[] nanF16 = StoredTensor.ofHalf(new long[]{}, new float[]{Float.intBitsToFloat(0xFFC12345)}).toBytes();
        assertArrayEquals(new byte[]{0x00, (byte) 0xFE}, nanF16);
    }

    @Test
    void wideValuesRoundToNearestEven() {
        // F64 -> float32: a tie between 1 and 1 + 2^-23 goes to 1; just above it goes up
        double[] d = {1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-40, 1e300, Double.MIN_VALUE};
        assertArrayEquals(new float[]{1f, 1f + 0x1p-23f, Float.POSITIVE_INFINITY, 0f},
                StoredTensor.ofDouble(new long[]{4}, d).toFloatArray());
        // I64: 2^24 + 1 is a tie -> 2^24; 2^24 + 3 -> 2^24 + 4
        assertArrayEquals(new float[]{0x1p24f, 0x1p24f + 4, -0x1p63f},
                StoredTensor.ofLong(new long[]{3}, new long[]{(1 << 24) + 1, (1 << 24) + 3, Long.MIN_VALUE}).toFloatArray());
        // U64 beyond 2^63: 2^63 + 2^39 is a tie between 2^63 and 2^63 + 2^40 -> 2^63; + 1 more -> up
        StoredTensor u = raw(SafeTensorsDType.U64, 4, 8, i -> new long[]{Long.MIN_VALUE + (1L << 39),
                Long.MIN_VALUE + (1L << 39) + 1, -1L, Long.MIN_VALUE + (3L << 39)}[i]);
        assertArrayEquals(new float[]{0x1p63f, 0x1p63f + 0x1p40f, 0x1p64f, 0x1p63f + 0x1p41f}, u.toFloatArray());
        assertArrayEquals(new double[]{0x1p63 + 0x1p39, 0x1p63 + 0x1p39, 0x1p64, 0x1p63 + 3 * 0x1p39},
                u.toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, u::toLongArray);
        assertTrue(e.getMessage().contains("U64 element 0 = 9223372586610589696"), e.getMessage());
    }

    @Test
    void narrowIntegersWiden() {
        StoredTensor i16 = raw(SafeTensorsDType.I16, 2, 2, i -> new long[]{0x8000, 0x7FFF}[i]);
        assertArrayEquals(new long[]{-32768, 32767}, i16.toLongArray());
        StoredTensor u16 = raw(SafeTensorsDType.U16, 1, 2, i -> 0xFFFFL);
        assertArrayEquals(new int[]{65535}, u16.toIntArray());
        StoredTensor u32 = raw(SafeTensorsDType.U32, 1, 4, i -> 0xFFFF_FFFFL);
        assertArrayEquals(new long[]{4294967295L}, u32.toLongArray());
        assertArrayEquals(new float[]{4294967296f}, u32.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, u32::toIntArray);
        assertTrue(e.getMessage().contains("U32 element 0 = 4294967295 is outside the int range"), e.getMessage());
        StoredTensor bool = raw(SafeTensorsDType.BOOL, 3, 1, i -> new long[]{0, 1, 7}[i]);
        assertArrayEquals(new boolean[]{false, true, true}, bool.toBooleanArray());
        assertArrayEquals(new byte[]{0, 1, 1}, bool.toByteArray());
        assertArrayEquals(new float[]{0, 1, 1}, bool.toFloatArray());
    }

    @Test
    void wrongDtypesAreRefusedByName() {
        StoredTensor f = StoredTensor.ofFloat(new long[]{2}, new float[]{1.5f, -2f});
        for (Runnable r : new Runnable[]{f::toLongArray, f::toIntArray, f::toByteArray, f::toBooleanArray}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("F32 (torch.float32) [2]"), e.getMessage());
        }
        StoredTensor l = StoredTensor.ofLong(new long[]{1}, new long[]{1L << 40});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, l::toIntArray);
        assertTrue(e.getMessage().contains("I64 element 0 = 1099511627776 is outside the int range"), e.getMessage());
    }

    @Test
    void factoriesCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> StoredTensor.ofFloat(new long[]{2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> StoredTensor.ofFloat(new long[]{-1}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> StoredTensor.ofFloat(null, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> StoredTensor.ofFloat(new long[]{1}, null));
        assertThrows(IllegalArgumentException.class,
                () -> StoredTensor.ofFloat(new long[]{1L << 32, 1L << 32, 1L << 32}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> StoredTensor.of(null, new long[]{1}, new byte[1]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoredTensor.of(SafeTensorsDType.I32, new long[]{2}, new byte[7]));
        assertTrue(e.getMessage().contains("needs 8 bytes, got 7"), e.getMessage());
    }

    @Test
    void factoriesCopyAndAreImmutable() {
        float[] values = {1, 2, 3, 4, 5, 6};
        long[] shape = {2, 3};
        StoredTensor t = StoredTensor.ofFloat(shape, values);
        values[0] = 99;
        shape[0] = 7;
        t.shape()[1] = 9;
        assertArrayEquals(new long[]{2, 3}, t.shape());
        assertEquals(1f, t.toFloatArray()[0]);
        assertTrue(t.data().isReadOnly());
        assertEquals(6, t.numel());
        assertEquals(24, t.byteSize());
        assertEquals(t, StoredTensor.ofFloat(new long[]{2, 3}, new float[]{1, 2, 3, 4, 5, 6}));
        assertEquals("StoredTensor(F32, [2, 3])", t.toString());
        StoredTensor scalar = StoredTensor.ofLong(new long[]{}, new long[]{3300});
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.numel());
        StoredTensor empty = StoredTensor.ofFloat(new long[]{0, 3}, new float[0]);
        assertEquals(0, empty.numel());
        assertEquals(0, empty.toFloatArray().length);
    }

    @Test
    void floatTensorBridgeKeepsPyTorchLayout() {
        float[] w = new float[2 * 3 * 2 * 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.5f;
        }
        StoredTensor weight = StoredTensor.ofFloat(new long[]{2, 3, 2, 2}, w); // [Cout, Cin, KH, KW]
        FloatTensor t = weight.toFloatTensor();
        assertArrayEquals(new int[]{2, 3, 2, 2}, t.shape());
        assertArrayEquals(w, t.data());
        assertEquals(weight, StoredTensor.ofFloat(t));
        StoredTensor half = StoredTensor.ofHalf(new long[]{3}, new float[]{0.5f, 1f, 2f});
        assertArrayEquals(new float[]{0.5f, 1f, 2f}, half.toFloatTensor().data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoredTensor.of(SafeTensorsDType.U8, new long[]{1L << 31, 0}, new byte[0]).toFloatTensor());
        assertTrue(e.getMessage().contains("over 2^31-1"), e.getMessage());
    }
}
