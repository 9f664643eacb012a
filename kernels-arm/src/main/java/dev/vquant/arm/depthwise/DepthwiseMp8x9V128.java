package dev.vquant.arm.depthwise;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Multi-pass depthwise micro-kernel for any number of taps, 8 channels per step (QNNPACK's
 * "mp8x25" idea): the taps are taken in passes of at most {@value #TAPS_PER_PASS}; the first
 * pass starts the int32 buffer, each later pass adds its taps to it, and the caller requantizes
 * the buffer after the last pass. A 5x5 kernel is three passes (9 + 9 + 7 taps), other sizes
 * {@code ceil(taps/9)}. Same arithmetic and exactness argument as {@link DepthwiseUp8x9V128}.
 *
 * @implNote A pass keeps one channel group's accumulators in registers across its taps and
 *     touches the buffer once per group (load, store), so the buffer traffic is {@code 1/9} of the
 *     tap traffic while the number of live tap pointers per pass stays bounded.
 */
public final class DepthwiseMp8x9V128 {
    /** Taps accumulated per pass over the channels. */
    public static final int TAPS_PER_PASS = 9;

    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    /** IntVector's class for I: a cast to it gives a loop-carried vector its exact type (package doc). */
    private static final Class<? extends Vector<Integer>> EXACT = I.vectorType();

    private DepthwiseMp8x9V128() {
    }

    /**
     * All passes for one output pixel: accumulators of every channel into {@code acc[0..channels)}.
     *
     * @param src        16-bit offset input rows ({@link InputOffsetV128}); tap {@code t} reads {@code src[t]}
     * @param off        tap {@code t}'s channel 0 is at {@code src[t][off[t]]}
     * @param w          the packed weights (channels, taps, zero points, packed weight sums)
     * @param aZeroPoint activation zero point {@code zA}, 0..255
     * @param acc        output: exact int32 accumulators of channel {@code c} at {@code acc[c]}
     */
    public static void run(short[][] src, int[] off, PackedDepthwiseV128 w, int aZeroPoint, int[] acc) {
        for (int t0 = 0; t0 < w.taps; t0 += TAPS_PER_PASS) {
            pass(src, off, t0, Math.min(w.taps, t0 + TAPS_PER_PASS), w, aZeroPoint, acc);
        }
    }

    /** Adds taps {@code [t0, t1)} into {@code acc}; the pass with {@code t0 == 0} starts it. */
    static void pass(short[][] src, int[] off, int t0, int t1, PackedDepthwiseV128 w, int aZeroPoint, int[] acc) {
        int channels = w.channels;
        int stride = w.stride;
        short[] wp = w.weights;
        boolean first = t0 == 0;
        boolean symmetric = w.symmetric;
        int base = 127 - aZeroPoint;
        int c = 0;
        for (; c <= channels - 8; c += 8) {
            IntVector lo;
            IntVector hi;
            if (first) {
                lo = IntVector.fromArray(I, w.tapSums, c).mul(base);
                hi = IntVector.fromArray(I, w.tapSums, c + 4).mul(base);
            } else {
                lo = IntVector.fromArray(I, acc, c);
                hi = IntVector.fromArray(I, acc, c + 4);
            }
            ShortVector xsum = ShortVector.zero(S);
            int t = t0;
            // taps in pairs: the two 16-bit products add without overflow before widening
            for (; t <= t1 - 2; t += 2) {
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
            if (t < t1) {
                ShortVector x0 = ShortVector.fromArray(S, src[t], off[t] + c);
                ShortVector p = x0.mul(ShortVector.fromArray(S, wp, t * stride + c));
                lo = ((IntVector) p.convertShape(VectorOperators.S2I, I, 0)).add(lo);
                hi = ((IntVector) p.convertShape(VectorOperators.S2I, I, 1)).add(hi);
                if (!symmetric) {
                    xsum = x0.add(xsum);
                }
            }
            if (!symmetric) {
                // - zB * sum_t (x_t - 127)
                lo = ((IntVector) EXACT.cast(lo)).sub(IntVector.fromArray(I, w.zeroPoints, c).mul((IntVector) xsum.convertShape(VectorOperators.S2I, I, 0)));
                hi = ((IntVector) EXACT.cast(hi)).sub(IntVector.fromArray(I, w.zeroPoints, c + 4).mul((IntVector) xsum.convertShape(VectorOperators.S2I, I, 1)));
            }
            ((IntVector) EXACT.cast(lo)).intoArray(acc, c);
            ((IntVector) EXACT.cast(hi)).intoArray(acc, c + 4);
        }
        // channel tail: (x - zA) * (W - zB) directly, scalar
        for (; c < channels; c++) {
            int sum = first ? 0 : acc[c];
            int z = w.zeroPoints[c];
            for (int t = t0; t < t1; t++) {
                sum += (src[t][off[t] + c] + 127 - aZeroPoint) * (wp[t * stride + c] - z);
            }
            acc[c] = sum;
        }
    }
}
