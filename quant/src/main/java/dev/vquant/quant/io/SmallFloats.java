package dev.vquant.quant.io;

/**
 * Bit-level conversions between float32 and the narrow float formats a safetensors file can hold,
 * with PyTorch's rounding: widening is exact; narrowing rounds to nearest, ties to even, as
 * {@code torch.Tensor.half()} and {@code .bfloat16()} do, and NaN becomes PyTorch's canonical NaN.
 */
final class SmallFloats {
    private SmallFloats() {
    }

    /** float16 bits to float32 (exact). */
    static float halfToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** bfloat16 bits to float32 (exact: they are the top 16 bits). */
    static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float8_e5m2 bits to float32 (exact: e5m2 is the top byte of a float16). */
    static float e5m2ToFloat(byte bits) {
        return Float.float16ToFloat((short) ((bits & 0xFF) << 8));
    }

    /** float8_e4m3fn bits to float32 (exact). Bias 7, no infinities; S.1111.111 is NaN. */
    static float e4m3fnToFloat(byte bits) {
        int b = bits & 0xFF;
        int exponent = (b >>> 3) & 0xF;
        int mantissa = b & 0x7;
        float sign = (b & 0x80) != 0 ? -1f : 1f;
        if (exponent == 0xF && mantissa == 0x7) {
            return Float.NaN;
        }
        if (exponent == 0) {
            return sign * Math.scalb((float) mantissa, -9); // subnormal: m * 2^(1 - 7 - 3)
        }
        return sign * Math.scalb((float) (8 + mantissa), exponent - 10); // (1 + m/8) * 2^(e - 7)
    }

    /** float32 to float16 bits, round to nearest even; NaN keeps its sign and becomes 0x7E00 (PyTorch's). */
    static short floatToHalf(float value) {
        if (Float.isNaN(value)) {
            return (short) ((Float.floatToRawIntBits(value) >>> 16 & 0x8000) | 0x7E00);
        }
        return Float.floatToFloat16(value);
    }

    /** float32 to bfloat16 bits, round to nearest even; NaN becomes 0x7FC0 (PyTorch's). */
    static short floatToBFloat16(float value) {
        if (Float.isNaN(value)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(value);
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /**
     * An unsigned 64-bit value to the nearest float32 (ties to even). Halving with a sticky low bit
     * keeps the value in the signed range without changing how it rounds (63 bits are far more than
     * float's 24 plus guard and sticky bits).
     */
    static float unsignedLongToFloat(long value) {
        if (value >= 0) {
            return (float) value;
        }
        return 2f * (float) ((value >>> 1) | (value & 1));
    }

    /** An unsigned 64-bit value to the nearest float64 (ties to even), by the same halving. */
    static double unsignedLongToDouble(long value) {
        if (value >= 0) {
            return (double) value;
        }
        return 2.0 * (double) ((value >>> 1) | (value & 1));
    }
}
