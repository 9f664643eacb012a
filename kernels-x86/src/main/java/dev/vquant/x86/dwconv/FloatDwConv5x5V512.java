package dev.vquant.x86.dwconv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 depthwise 5x5 (no dilation, any stride) over one run of output columns and one block
 * of 16 channels (512-bit): {@code out = clamp(bias + sum_taps x * w)} with FMA. Addressing as in
 * {@link FloatDwConv3x3V512}; the 25 weight vectors are loaded per row of the window (5 at a time)
 * to stay within the register file.
 */
final class FloatDwConv5x5V512 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    /** Channels per block. */
    static final int BLOCK = 16;

    private FloatDwConv5x5V512() {
    }

    static void run(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] r3, int o3, float[] r4,
                    int o4, int pix, int colStep, int n, int c0, float[] taps, int tapStride, float[] bias, float lo,
                    float hi, float[] out, int outOff, int outPix) {
        FloatVector b = FloatVector.fromArray(F, bias, c0);
        FloatVector vLo = FloatVector.broadcast(F, lo);
        FloatVector vHi = FloatVector.broadcast(F, hi);
        int d = outOff + c0;
        int step = 0;
        for (int i = 0; i < n; i++) {
            FloatVector s = row(r0, o0 + c0 + step, pix, taps, c0, tapStride, b);
            FloatVector t = row(r1, o1 + c0 + step, pix, taps, 5 * tapStride + c0, tapStride, null);
            s = s.add(row(r2, o2 + c0 + step, pix, taps, 10 * tapStride + c0, tapStride, null));
            t = t.add(row(r3, o3 + c0 + step, pix, taps, 15 * tapStride + c0, tapStride, null));
            s = s.add(row(r4, o4 + c0 + step, pix, taps, 20 * tapStride + c0, tapStride, null));
            s.add(t).max(vLo).min(vHi).intoArray(out, d);
            step += colStep;
            d += outPix;
        }
    }

    /** One window row: {@code init + sum_kx x[a + kx*pix] * taps[t + kx*tapStride]} (init 0 when null). */
    private static FloatVector row(float[] r, int a, int pix, float[] taps, int t, int tapStride, FloatVector init) {
        FloatVector s = FloatVector.fromArray(F, r, a).mul(FloatVector.fromArray(F, taps, t));
        if (init != null) {
            s = s.add(init);
        }
        s = FloatVector.fromArray(F, r, a + pix).fma(FloatVector.fromArray(F, taps, t + tapStride), s);
        s = FloatVector.fromArray(F, r, a + 2 * pix).fma(FloatVector.fromArray(F, taps, t + 2 * tapStride), s);
        s = FloatVector.fromArray(F, r, a + 3 * pix).fma(FloatVector.fromArray(F, taps, t + 3 * tapStride), s);
        return FloatVector.fromArray(F, r, a + 4 * pix).fma(FloatVector.fromArray(F, taps, t + 4 * tapStride), s);
    }
}
