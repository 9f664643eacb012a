package dev.vquant.arm.depthwise;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-pass depthwise micro-kernel for 9 taps (3x3), 8 channels per step (QNNPACK's "up8x9"):
 * for one output pixel, all channels,
 * <pre>acc[c] = sum_{t<9} (x_t[c] - zA) * w'[t][c]        (w' = W - zB, see PackedDepthwiseV128)</pre>
 * where {@code x_t} is tap {@code t}'s input row ({@code src[t]} from {@code off[t]}); padding
 * taps point at a row filled with {@code zA}, which contributes nothing.
 *
 * <p>Exact: {@code (x - 128)} is -128..127 and {@code w'} is -255..255, so each product
 * {@code (x-128)*w'} fits 16 bits signed (|p| <= 32640); products are widened to int32 before
 * being summed, and {@code sum (x-zA) w' = sum (x-128) w' + (128-zA) * sum w'}, the second term
 * being the accumulator's starting value. {@code x - 128} is the byte with its top bit flipped,
 * read as signed.
 *
 * @implNote Per tap and 8 channels: one 8-byte load, XOR, sign-extend to 16 bits, one 16-bit
 *     multiply with the pre-widened weights, two widenings to int32 and two adds. The accumulators
 *     of a channel group stay in registers across all 9 taps. Channels past the last full group of
 *     8 run a scalar loop with the same formula.
 */
public final class DepthwiseUp8x9V128 {
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;

    private DepthwiseUp8x9V128() {
    }

    /** Accumulators of one output pixel into {@code acc[0..channels)}. */
    public static void run(byte[][] src, int[] off, PackedDepthwiseV128 w, int aZeroPoint, int[] acc) {
        int channels = w.channels;
        int stride = w.stride;
        short[] wp = w.weights;
        byte[] x0 = src[0], x1 = src[1], x2 = src[2], x3 = src[3], x4 = src[4], x5 = src[5], x6 = src[6], x7 = src[7];
        byte[] x8 = src[8];
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7];
        int o8 = off[8];
        int base = 128 - aZeroPoint;
        int c = 0;
        for (; c <= channels - 8; c += 8) {
            ShortVector p = product(x0, o0 + c, wp, c);
            IntVector lo = IntVector.fromArray(I, w.tapSums, c).mul(base).add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            IntVector hi = IntVector.fromArray(I, w.tapSums, c + 4).mul(base).add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            p = product(x1, o1 + c, wp, stride + c);
            lo = lo.add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            hi = hi.add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            p = product(x2, o2 + c, wp, 2 * stride + c);
            lo = lo.add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            hi = hi.add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            p = product(x3, o3 + c, wp, 3 * stride + c);
            lo = lo.add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            hi = hi.add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            p = product(x4, o4 + c, wp, 4 * stride + c);
            lo = lo.add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            hi = hi.add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            p = product(x5, o5 + c, wp, 5 * stride + c);
            lo = lo.add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            hi = hi.add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            p = product(x6, o6 + c, wp, 6 * stride + c);
            lo = lo.add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            hi = hi.add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            p = product(x7, o7 + c, wp, 7 * stride + c);
            lo = lo.add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            hi = hi.add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            p = product(x8, o8 + c, wp, 8 * stride + c);
            lo = lo.add(p.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts());
            hi = hi.add(p.convertShape(VectorOperators.S2I, I, 1).reinterpretAsInts());
            lo.intoArray(acc, c);
            hi.intoArray(acc, c + 4);
        }
        // channel tail: the same formula, scalar
        for (; c < channels; c++) {
            int sum = 0;
            for (int t = 0; t < 9; t++) {
                sum += ((src[t][off[t] + c] & 0xFF) - aZeroPoint) * wp[t * stride + c];
            }
            acc[c] = sum;
        }
    }

    /** {@code (x - 128) * w'} for 8 channels, exact in 16 bits. */
    private static ShortVector product(byte[] x, int xOff, short[] wp, int wOff) {
        ShortVector xs = (ShortVector) ByteVector.fromArray(B64, x, xOff).lanewise(VectorOperators.XOR, (byte) 0x80)
                .convertShape(VectorOperators.B2S, S, 0);
        return xs.mul(ShortVector.fromArray(S, wp, wOff));
    }
}
