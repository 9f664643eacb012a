package dev.vquant.x86.dwconv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 depthwise 3x3 (no dilation, any stride) over one run of output columns and one block
 * of 16 channels (512-bit): {@code out = clamp(bias + sum_taps x * w)} with FMA.
 *
 * <p>Row {@code k} of the window starts at {@code rK[oK]} (column 0 of the first window, channel
 * 0); tap {@code (ky, kx)} of output {@code i} is at {@code rKy[oKy + i*colStep + kx*pix + c0]}.
 * Every tap must be inside its row (the driver pads borders); the 9 weight vectors stay in
 * registers across the run.
 */
final class FloatDwConv3x3V512 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    /** Channels per block. */
    static final int BLOCK = 16;

    private FloatDwConv3x3V512() {
    }

    static void run(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, int pix, int colStep, int n, int c0,
                    float[] taps, int tapStride, float[] bias, float lo, float hi, float[] out, int outOff, int outPix) {
        FloatVector w0 = FloatVector.fromArray(F, taps, c0);
        FloatVector w1 = FloatVector.fromArray(F, taps, tapStride + c0);
        FloatVector w2 = FloatVector.fromArray(F, taps, 2 * tapStride + c0);
        FloatVector w3 = FloatVector.fromArray(F, taps, 3 * tapStride + c0);
        FloatVector w4 = FloatVector.fromArray(F, taps, 4 * tapStride + c0);
        FloatVector w5 = FloatVector.fromArray(F, taps, 5 * tapStride + c0);
        FloatVector w6 = FloatVector.fromArray(F, taps, 6 * tapStride + c0);
        FloatVector w7 = FloatVector.fromArray(F, taps, 7 * tapStride + c0);
        FloatVector w8 = FloatVector.fromArray(F, taps, 8 * tapStride + c0);
        FloatVector b = FloatVector.fromArray(F, bias, c0);
        FloatVector vLo = FloatVector.broadcast(F, lo);
        FloatVector vHi = FloatVector.broadcast(F, hi);
        int a0 = o0 + c0;
        int a1 = o1 + c0;
        int a2 = o2 + c0;
        int d = outOff + c0;
        for (int i = 0; i < n; i++) {
            // two independent FMA chains halve the dependent latency per output
            FloatVector s = FloatVector.fromArray(F, r0, a0).fma(w0, b);
            FloatVector t = FloatVector.fromArray(F, r1, a1).mul(w3);
            s = FloatVector.fromArray(F, r0, a0 + pix).fma(w1, s);
            t = FloatVector.fromArray(F, r1, a1 + pix).fma(w4, t);
            s = FloatVector.fromArray(F, r0, a0 + 2 * pix).fma(w2, s);
            t = FloatVector.fromArray(F, r1, a1 + 2 * pix).fma(w5, t);
            s = FloatVector.fromArray(F, r2, a2).fma(w6, s);
            t = FloatVector.fromArray(F, r2, a2 + pix).fma(w7, t);
            s = FloatVector.fromArray(F, r2, a2 + 2 * pix).fma(w8, s);
            clamp(s.add(t), vLo, vHi).intoArray(out, d);
            a0 += colStep;
            a1 += colStep;
            a2 += colStep;
            d += outPix;
        }
    }

    /** {@code min(max(v, lo), hi)} by compare and blend (NaN passes through, as with Math.min/max). */
    private static FloatVector clamp(FloatVector v, FloatVector lo, FloatVector hi) {
        return v.blend(lo, v.lt(lo)).blend(hi, v.compare(VectorOperators.GT, hi));
    }
}
