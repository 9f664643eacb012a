package dev.vquant.arm.depthwise;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-pass depthwise micro-kernel for 9 taps (3x3), 8 channels per step (QNNPACK's "up8x9"):
 * for one output pixel, all channels,
 * <pre>acc[c] = sum_{t&lt;9} (x_t[c] - zA) * (W[c][t] - zB[c])</pre>
 * where the input arrives pre-offset as 16-bit {@code x' = x - 127} ({@code src[t]} from
 * {@code off[t]}; padding taps point at a row of {@code zA - 127}, which contributes nothing).
 *
 * <p>Exact: with {@code x'} in {@code -127..128} and the raw weight {@code W} in {@code -128..127}
 * each product lies in {@code -16384..16256}, so two taps' products add in 16 bits
 * ({@code -32768..32512}) before being widened to int32. The zero points enter as
 * <pre>sum (x - zA)(W - zB) = sum x'*W - zB * sum x' + (127 - zA) * sum (W - zB)</pre>
 * (the last sum is packed; the middle term is skipped for symmetric weights).
 *
 * @implNote Per tap pair and 8 channels: two 16-byte loads of {@code x'}, two of {@code W}, two
 *     16-bit multiplies and an add, two widenings and two int adds, plus two adds for
 *     {@code sum x'}: widening once per pair instead of per tap is what the {@code -127} offset
 *     buys. The accumulators stay in registers across all 9 taps. Channels past the last full
 *     group of 8 run a scalar loop.
 */
public final class DepthwiseUp8x9V128 {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    /** IntVector's class for I: a cast to it gives a loop-carried vector its exact type (package doc). */
    private static final Class<? extends Vector<Integer>> EXACT = I.vectorType();

    private DepthwiseUp8x9V128() {
    }

    /**
     * Accumulators of one output pixel into {@code acc[0..channels)}.
     *
     * @param src        16-bit offset input rows ({@link InputOffsetV128}); tap {@code t < 9} reads {@code src[t]}
     * @param off        tap {@code t}'s channel 0 is at {@code src[t][off[t]]}
     * @param w          the packed weights (channels, taps, zero points, packed weight sums)
     * @param aZeroPoint activation zero point {@code zA}, 0..255
     * @param acc        output: exact int32 accumulators of channel {@code c} at {@code acc[c]}
     */
    public static void run(short[][] src, int[] off, PackedDepthwiseV128 w, int aZeroPoint, int[] acc) {
        int channels = w.channels;
        int stride = w.stride;
        short[] wp = w.weights;
        boolean symmetric = w.symmetric;
        int base = 127 - aZeroPoint;
        int c = 0;
        for (; c <= channels - 8; c += 8) {
            IntVector lo = IntVector.fromArray(I, w.tapSums, c).mul(base);
            IntVector hi = IntVector.fromArray(I, w.tapSums, c + 4).mul(base);
            ShortVector xsum = ShortVector.zero(S);
            // taps 0..7 in pairs (a constant trip count C2 unrolls), then tap 8
            for (int t = 0; t < 8; t += 2) {
                ShortVector x0 = ShortVector.fromArray(S, src[t], off[t] + c);
                ShortVector x1 = ShortVector.fromArray(S, src[t + 1], off[t + 1] + c);
                ShortVector p = x0.mul(ShortVector.fromArray(S, wp, t * stride + c))
                        .add(x1.mul(ShortVector.fromArray(S, wp, (t + 1) * stride + c)));
                lo = ((IntVector) p.convertShape(VectorOperators.S2I, I, 0)).add(lo);
                hi = ((IntVector) p.convertShape(VectorOperators.S2I, I, 1)).add(hi);
                if (!symmetric) {
                    xsum = x0.add(x1).add(xsum);
                }
            }
            ShortVector x8 = ShortVector.fromArray(S, src[8], off[8] + c);
            ShortVector p = x8.mul(ShortVector.fromArray(S, wp, 8 * stride + c));
            lo = ((IntVector) p.convertShape(VectorOperators.S2I, I, 0)).add(lo);
            hi = ((IntVector) p.convertShape(VectorOperators.S2I, I, 1)).add(hi);
            if (!symmetric) {
                xsum = x8.add(xsum);
                lo = ((IntVector) EXACT.cast(lo)).sub(IntVector.fromArray(I, w.zeroPoints, c).mul((IntVector) xsum.convertShape(VectorOperators.S2I, I, 0)));
                hi = ((IntVector) EXACT.cast(hi)).sub(IntVector.fromArray(I, w.zeroPoints, c + 4).mul((IntVector) xsum.convertShape(VectorOperators.S2I, I, 1)));
            }
            ((IntVector) EXACT.cast(lo)).intoArray(acc, c);
            ((IntVector) EXACT.cast(hi)).intoArray(acc, c + 4);
        }
        // channel tail: (x - zA) * (W - zB) directly, scalar
        for (; c < channels; c++) {
            int sum = 0;
            int z = w.zeroPoints[c];
            for (int t = 0; t < 9; t++) {
                sum += (src[t][off[t] + c] + 127 - aZeroPoint) * (wp[t * stride + c] - z);
            }
            acc[c] = sum;
        }
    }
}
