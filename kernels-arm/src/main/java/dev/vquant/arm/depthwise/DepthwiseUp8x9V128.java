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
        int base = 128 - aZeroPoint;
        int c = 0;
        for (; c <= channels - 8; c += 8) {
            IntVector lo = IntVector.fromArray(I, w.tapSums, c).mul(base);
            IntVector hi = IntVector.fromArray(I, w.tapSums, c + 4).mul(base);
            // 9 taps, a constant trip count C2 unrolls; written as a loop (not by hand, not through a
            // helper method) so the method stays within C2's inlining node budget
            for (int t = 0; t < 9; t++) {
                ShortVector xs = (ShortVector) ByteVector.fromArray(B64, src[t], off[t] + c)
                        .lanewise(VectorOperators.XOR, (byte) 0x80).convertShape(VectorOperators.B2S, S, 0);
                ShortVector p = xs.mul(ShortVector.fromArray(S, wp, t * stride + c));
                lo = lo.add((IntVector) p.convertShape(VectorOperators.S2I, I, 0));
                hi = hi.add((IntVector) p.convertShape(VectorOperators.S2I, I, 1));
            }
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
}
