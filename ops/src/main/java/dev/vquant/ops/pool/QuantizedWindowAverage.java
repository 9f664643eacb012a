package dev.vquant.ops.pool;

import java.util.Arrays;

/**
 * The per-window body of the quantized average pools: {@code acc = sum(q) - zp * taps} over the
 * in-image taps (exact int32), then {@code y = clamp(zOut + rint(f32(acc) * m), 0, 255)} with the
 * multiplier the operator derives from the window for channels below {@code vectorChannels}, and
 * {@code m' = f32(1 / f32(1 / m))} for the others: ATen's scalar channel loops hand {@code 1/m} to
 * {@code quantize_val} as a scale, which takes the reciprocal again. One instance per thread.
 */
final class QuantizedWindowAverage implements PoolLoop.Window {

    /** The float32 multiplier applied to a window's accumulator. */
    interface Multiplier {
        float of(int taps, int padded);
    }

    private final byte[] in;
    private final byte[] out;
    private final int w;
    private final int c;
    private final int zeroPoint;
    private final Multiplier multiplier;
    private final int vectorChannels;
    private final int[] acc;

    QuantizedWindowAverage(byte[] in, byte[] out, int w, int c, int zeroPoint, Multiplier multiplier, int vectorChannels) {
        this.vectorChannels = vectorChannels;
        this.in = in;
        this.out = out;
        this.w = w;
        this.c = c;
        this.zeroPoint = zeroPoint;
        this.multiplier = multiplier;
        this.acc = new int[c];
    }

    /** Whether this body is over exactly these arrays and parameters (so a call may use it again). */
    boolean sameAs(byte[] in, byte[] out, int w, int c, int zeroPoint, int vectorChannels) {
        return this.in == in && this.out == out && this.w == w && this.c == c && this.zeroPoint == zeroPoint
                && this.vectorChannels == vectorChannels;
    }

    /** {@return the window multiplier} */
    Multiplier multiplier() {
        return multiplier;
    }

    @Override
    public void reduce(int base, int y0, int y1, int dy, int x0, int x1, int dx, int padded, int o) {
        int taps = (y1 - y0) * (x1 - x0);
        Arrays.fill(acc, -zeroPoint * taps);
        for (int iy = y0; iy < y1; iy += dy) {
            for (int ix = x0; ix < x1; ix += dx) {
                int t = base + (iy * w + ix) * c;
                for (int ch = 0; ch < c; ch++) {
                    acc[ch] += in[t + ch] & 0xFF;
                }
            }
        }
        float m = multiplier.of(taps, padded);
        float tail = 1.0f / (1.0f / m);
        for (int ch = 0; ch < c; ch++) {
            float r = (float) Math.rint((float) acc[ch] * (ch < vectorChannels ? m : tail)) + zeroPoint;
            out[o + ch] = (byte) (!(r >= 0f) ? 0 : r >= 255f ? 255 : (int) r);
        }
    }
}
