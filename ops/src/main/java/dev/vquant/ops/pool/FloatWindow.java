package dev.vquant.ops.pool;

import java.util.Arrays;

/**
 * The per-window body of the float32 pools: the maximum of the taps, or their sum divided by the
 * divisor the operator derives from the window. One instance per thread.
 */
final class FloatWindow implements PoolLoop.Window {

    /** The divisor of an average window (unused for max). */
    interface Divisor {
        float of(int taps, int padded);
    }

    private final float[] in;
    private final float[] out;
    private final int w;
    private final int c;
    private final Divisor divisor;
    private final float[] acc;

    /** @param divisor null for max pooling */
    FloatWindow(float[] in, float[] out, int w, int c, Divisor divisor) {
        this.in = in;
        this.out = out;
        this.w = w;
        this.c = c;
        this.divisor = divisor;
        this.acc = new float[c];
    }

    @Override
    public void reduce(int base, int y0, int y1, int dy, int x0, int x1, int dx, int padded, int o) {
        boolean max = divisor == null;
        Arrays.fill(acc, max ? Float.NEGATIVE_INFINITY : 0f);
        int taps = 0;
        for (int iy = y0; iy < y1; iy += dy) {
            for (int ix = x0; ix < x1; ix += dx) {
                int t = base + (iy * w + ix) * c;
                taps++;
                for (int ch = 0; ch < c; ch++) {
                    acc[ch] = max ? Math.max(acc[ch], in[t + ch]) : acc[ch] + in[t + ch];
                }
            }
        }
        float div = max ? 1f : divisor.of(taps, padded);
        for (int ch = 0; ch < c; ch++) {
            out[o + ch] = max ? acc[ch] : acc[ch] / div;
        }
    }
}
