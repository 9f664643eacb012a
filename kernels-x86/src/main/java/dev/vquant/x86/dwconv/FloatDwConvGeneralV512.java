package dev.vquant.x86.dwconv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 depthwise, any kernel size and dilation, over one run of output columns and one block
 * of 16 channels (512-bit): {@code out = clamp(bias + sum_taps x * w)} with FMA. Window row
 * {@code ky} starts at {@code rows[ky][offs[ky]]}; tap {@code (ky, kx)} of output {@code i} is at
 * {@code offs[ky] + i*colStep + kx*tapStep + c0}.
 */
final class FloatDwConvGeneralV512 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    /** Channels per block. */
    static final int BLOCK = 16;

    private FloatDwConvGeneralV512() {
    }

    static void run(float[][] rows, int[] offs, int kh, int kw, int tapStep, int colStep, int n, int c0, float[] taps,
                    int tapStride, float[] bias, float lo, float hi, float[] out, int outOff, int outPix) {
        FloatVector b = FloatVector.fromArray(F, bias, c0);
        FloatVector vLo = FloatVector.broadcast(F, lo);
        FloatVector vHi = FloatVector.broadcast(F, hi);
        for (int i = 0; i < n; i++) {
            FloatVector s = b;
            int t = c0;
            for (int ky = 0; ky < kh; ky++) {
                float[] r = rows[ky];
                int a = offs[ky] + i * colStep + c0;
                for (int kx = 0; kx < kw; kx++) {
                    s = FloatVector.fromArray(F, r, a).fma(FloatVector.fromArray(F, taps, t), s);
                    a += tapStep;
                    t += tapStride;
                }
            }
            clamp(s, vLo, vHi).intoArray(out, outOff + i * outPix + c0);
        }
    }

    /** {@code min(max(v, lo), hi)} by compare and blend (NaN passes through, as with Math.min/max). */
    private static FloatVector clamp(FloatVector v, FloatVector lo, FloatVector hi) {
        return v.blend(lo, v.lt(lo)).blend(hi, v.compare(VectorOperators.GT, hi));
    }
}
