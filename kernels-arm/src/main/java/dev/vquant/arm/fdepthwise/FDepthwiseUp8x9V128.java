package dev.vquant.arm.fdepthwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 depthwise micro-kernel for 9 taps (3x3), 8 channels per step, one output pixel:
 * {@code out[c] = clamp(bias[c] + sum_{t<9} x_t[c] * W[c][t], lo, hi)}, taps in ascending order
 * (padding taps read a zero row). The 3x3 twin of the int8 {@code DepthwiseUp8x9V128}, with the
 * same unrolling, so that the int8/float comparison compares like with like.
 */
public final class FDepthwiseUp8x9V128 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;

    private FDepthwiseUp8x9V128() {
    }

    /**
     * Computes all channels of one output pixel: bias, taps, clamp, written to {@code out}.
     *
     * @param src    input rows; tap {@code t < 9} reads {@code src[t]} (a zero row for padding taps)
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
        float[] wp = w.weights;
        float[] x0 = src[0], x1 = src[1], x2 = src[2], x3 = src[3], x4 = src[4], x5 = src[5], x6 = src[6];
        float[] x7 = src[7], x8 = src[8];
        int o0 = off[0], o1 = off[1], o2 = off[2], o3 = off[3], o4 = off[4], o5 = off[5], o6 = off[6], o7 = off[7];
        int o8 = off[8];
        FloatVector vlo = FloatVector.broadcast(F, lo);
        FloatVector vhi = FloatVector.broadcast(F, hi);
        int c = 0;
        for (; c <= channels - 8; c += 8) {
            FloatVector a = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, c);
            FloatVector b = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, c + 4);
            a = FloatVector.fromArray(F, x0, o0 + c).fma(FloatVector.fromArray(F, wp, c), a);
            b = FloatVector.fromArray(F, x0, o0 + c + 4).fma(FloatVector.fromArray(F, wp, c + 4), b);
            a = FloatVector.fromArray(F, x1, o1 + c).fma(FloatVector.fromArray(F, wp, stride + c), a);
            b = FloatVector.fromArray(F, x1, o1 + c + 4).fma(FloatVector.fromArray(F, wp, stride + c + 4), b);
            a = FloatVector.fromArray(F, x2, o2 + c).fma(FloatVector.fromArray(F, wp, 2 * stride + c), a);
            b = FloatVector.fromArray(F, x2, o2 + c + 4).fma(FloatVector.fromArray(F, wp, 2 * stride + c + 4), b);
            a = FloatVector.fromArray(F, x3, o3 + c).fma(FloatVector.fromArray(F, wp, 3 * stride + c), a);
            b = FloatVector.fromArray(F, x3, o3 + c + 4).fma(FloatVector.fromArray(F, wp, 3 * stride + c + 4), b);
            a = FloatVector.fromArray(F, x4, o4 + c).fma(FloatVector.fromArray(F, wp, 4 * stride + c), a);
            b = FloatVector.fromArray(F, x4, o4 + c + 4).fma(FloatVector.fromArray(F, wp, 4 * stride + c + 4), b);
            a = FloatVector.fromArray(F, x5, o5 + c).fma(FloatVector.fromArray(F, wp, 5 * stride + c), a);
            b = FloatVector.fromArray(F, x5, o5 + c + 4).fma(FloatVector.fromArray(F, wp, 5 * stride + c + 4), b);
            a = FloatVector.fromArray(F, x6, o6 + c).fma(FloatVector.fromArray(F, wp, 6 * stride + c), a);
            b = FloatVector.fromArray(F, x6, o6 + c + 4).fma(FloatVector.fromArray(F, wp, 6 * stride + c + 4), b);
            a = FloatVector.fromArray(F, x7, o7 + c).fma(FloatVector.fromArray(F, wp, 7 * stride + c), a);
            b = FloatVector.fromArray(F, x7, o7 + c + 4).fma(FloatVector.fromArray(F, wp, 7 * stride + c + 4), b);
            a = FloatVector.fromArray(F, x8, o8 + c).fma(FloatVector.fromArray(F, wp, 8 * stride + c), a);
            b = FloatVector.fromArray(F, x8, o8 + c + 4).fma(FloatVector.fromArray(F, wp, 8 * stride + c + 4), b);
            a.max(vlo).min(vhi).intoArray(out, outOff + c);
            b.max(vlo).min(vhi).intoArray(out, outOff + c + 4);
        }
        FDepthwiseUp8V128.tail(src, off, 0, 9, w, bias, lo, hi, out, outOff, c);
    }
}
