package dev.vquant.arm.fdepthwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 depthwise micro-kernel for any number of taps, 8 channels per step, one output pixel:
 * {@code out[c] = clamp(bias[c] + sum_t x_t[c] * W[c][t], lo, hi)}, taps in ascending order.
 * The accumulators of a channel group stay in registers over all taps (float needs no exactness
 * buffer, so there is no multi-pass split).
 */
public final class FDepthwiseUp8V128 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    /** FloatVector's class for F: a cast to it gives a loop-carried vector its exact type (package doc). */
    private static final Class<? extends Vector<Float>> EXACT = F.vectorType();

    private FDepthwiseUp8V128() {
    }

    /**
     * Computes all channels of one output pixel: bias, taps, clamp, written to {@code out}.
     *
     * @param src    input rows; tap {@code t} reads {@code src[t]} (a zero row for padding taps)
     * @param off    tap {@code t}'s channel 0 is at {@code src[t][off[t]]}
     * @param w      the packed weights (channels, taps)
     * @param bias   per-channel bias, or null for none
     * @param lo     lower clamp ({@code -inf} for none)
     * @param hi     upper clamp ({@code +inf} for none)
     * @param out    output
     * @param outOff index of channel 0 of this pixel in {@code out}
     */
    public static void run(float[][] src, int[] off, PackedFloatDepthwiseV128 w, float[] bias, float lo, float hi,
                           float[] out, int outOff) {
        int channels = w.channels;
        int stride = w.stride;
        int taps = w.taps;
        float[] wp = w.weights;
        FloatVector vlo = FloatVector.broadcast(F, lo);
        FloatVector vhi = FloatVector.broadcast(F, hi);
        int c = 0;
        for (; c <= channels - 8; c += 8) {
            FloatVector a = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, c);
            FloatVector b = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, c + 4);
            for (int t = 0; t < taps; t++) {
                float[] x = src[t];
                int o = off[t] + c;
                a = FloatVector.fromArray(F, x, o).fma(FloatVector.fromArray(F, wp, t * stride + c), a);
                b = FloatVector.fromArray(F, x, o + 4).fma(FloatVector.fromArray(F, wp, t * stride + c + 4), b);
            }
            ((FloatVector) EXACT.cast(a)).max(vlo).min(vhi).intoArray(out, outOff + c);
            ((FloatVector) EXACT.cast(b)).max(vlo).min(vhi).intoArray(out, outOff + c + 4);
        }
        tail(src, off, 0, taps, w, bias, lo, hi, out, outOff, c);
    }

    /** Channels {@code c0..channels-1} (fewer than 8), scalar, same order of operations. */
    static void tail(float[][] src, int[] off, int t0, int t1, PackedFloatDepthwiseV128 w, float[] bias, float lo,
                     float hi, float[] out, int outOff, int c0) {
        for (int c = c0; c < w.channels; c++) {
            float v = bias == null ? 0f : bias[c];
            for (int t = t0; t < t1; t++) {
                v = Math.fma(src[t][off[t] + c], w.weights[t * w.stride + c], v);
            }
            out[outOff + c] = Math.min(Math.max(v, lo), hi);
        }
    }
}
