package dev.vquant.arm.output;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Narrows ints already in 0..255 (or -128..127) to bytes, 8 per 64-bit store, at 128 bits. */
public final class NarrowV128 {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;

    private NarrowV128() {
    }

    /**
     * {@code out[outOff + t] = (byte) v[off + t]} for {@code t < len}: keeps the low 8 bits, so
     * values must already be clamped to the output range.
     *
     * @param v      int values, already in 0..255 (or -128..127)
     * @param off    index of the first value
     * @param out    bytes written
     * @param outOff index of the first byte written
     * @param len    number of values
     */
    public static void toBytes(int[] v, int off, byte[] out, int outOff, int len) {
        int t = 0;
        for (; t <= len - 8; t += 8) {
            ((ByteVector) IntVector.fromArray(I, v, off + t).convertShape(VectorOperators.I2B, B, 0))
                    .or((ByteVector) IntVector.fromArray(I, v, off + t + 4).convertShape(VectorOperators.I2B, B, -1))
                    .intoArray(out, outOff + t);
        }
        for (; t < len; t++) {
            out[outOff + t] = (byte) v[off + t];
        }
    }
}
