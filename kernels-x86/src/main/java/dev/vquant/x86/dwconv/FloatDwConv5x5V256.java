package dev.vquant.x86.dwconv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 depthwise 5x5 (no dilation, any stride) over one run of output columns and one block
 * of 8 channels (256-bit): {@code out = clamp(bias + sum_taps x * w)} with FMA. Window row
 * {@code ky} starts at {@code rows[ky][offs[ky]]}; tap {@code (ky, kx)} of output {@code i} is at
 * {@code offs[ky] + i*colStep + kx*pix + c0}.
 *
 * @implNote Two outputs per step share each window row's five weight vectors (25 do not fit the
 * register file next to the accumulators), so a step does 15 loads for 10 FMAs; the body stays
 * small enough for C2 to inline every Vector API call (a fully unrolled 25-tap body did not).
 */
final class FloatDwConv5x5V256 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    /** Channels per block. */
    static final int BLOCK = 8;

    private FloatDwConv5x5V256() {
    }

    static void run(float[][] rows, int[] offs, int pix, int colStep, int n, int c0, float[] taps, int tapStride,
                    float[] bias, float lo, float hi, float[] out, int outOff, int outPix) {
        FloatVector b = FloatVector.fromArray(F, bias, c0);
        FloatVector vLo = FloatVector.broadcast(F, lo);
        FloatVector vHi = FloatVector.broadcast(F, hi);
        int i = 0;
        // main loop: outputs i and i+1
        for (; i + 1 < n; i += 2) {
            FloatVector s = b;
            FloatVector u = b;
            for (int ky = 0; ky < 5; ky++) {
                float[] r = rows[ky];
                int a = offs[ky] + i * colStep + c0;
                int t = 5 * ky * tapStride + c0;
                FloatVector w0 = FloatVector.fromArray(F, taps, t);
                FloatVector w1 = FloatVector.fromArray(F, taps, t + tapStride);
                FloatVector w2 = FloatVector.fromArray(F, taps, t + 2 * tapStride);
                FloatVector w3 = FloatVector.fromArray(F, taps, t + 3 * tapStride);
                FloatVector w4 = FloatVector.fromArray(F, taps, t + 4 * tapStride);
                s = FloatVector.fromArray(F, r, a).fma(w0, s);
                u = FloatVector.fromArray(F, r, a + colStep).fma(w0, u);
                s = FloatVector.fromArray(F, r, a + pix).fma(w1, s);
                u = FloatVector.fromArray(F, r, a + colStep + pix).fma(w1, u);
                s = FloatVector.fromArray(F, r, a + 2 * pix).fma(w2, s);
                u = FloatVector.fromArray(F, r, a + colStep + 2 * pix).fma(w2, u);
                s = FloatVector.fromArray(F, r, a + 3 * pix).fma(w3, s);
                u = FloatVector.fromArray(F, r, a + colStep + 3 * pix).fma(w3, u);
                s = FloatVector.fromArray(F, r, a + 4 * pix).fma(w4, s);
                u = FloatVector.fromArray(F, r, a + colStep + 4 * pix).fma(w4, u);
            }
            clamp(s, vLo, vHi).intoArray(out, outOff + i * outPix + c0);
            clamp(u, vLo, vHi).intoArray(out, outOff + (i + 1) * outPix + c0);
        }
        // tail: the last output of an odd run
        if (i < n) {
            FloatVector s = b;
            for (int ky = 0; ky < 5; ky++) {
                float[] r = rows[ky];
                int a = offs[ky] + i * colStep + c0;
                int t = 5 * ky * tapStride + c0;
                for (int kx = 0; kx < 5; kx++) {
                    s = FloatVector.fromArray(F, r, a + kx * pix).fma(FloatVector.fromArray(F, taps, t + kx * tapStride), s);
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
