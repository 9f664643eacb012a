package dev.vquant.arm.depthwise;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** quint8 activations to 16-bit {@code x - 127} (-127..128), the depthwise kernels' input form. */
public final class InputOffsetV128 {
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;

    private InputOffsetV128() {
    }

    /**
     * {@code out[outOff + i] = (x[xOff + i] & 0xFF) - 127} for {@code i < len}.
     *
     * @param x      quint8 activations
     * @param xOff   index of the first activation
     * @param out    16-bit offset activations written
     * @param outOff index of the first value written
     * @param len    number of values
     */
    public static void convert(byte[] x, int xOff, short[] out, int outOff, int len) {
        int i = 0;
        for (; i <= len - 8; i += 8) {
            ((ShortVector) ByteVector.fromArray(B64, x, xOff + i).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0))
                    .sub((short) 127).intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            out[outOff + i] = (short) ((x[xOff + i] & 0xFF) - 127);
        }
    }
}
