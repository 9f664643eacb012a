package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.Threads;

import java.util.Arrays;

/**
 * float32 twins of {@link QMaxPool2d} and {@link QAvgPool2d} on NHWC tensors, with the same
 * windows: max over in-image taps, or their sum divided by the same divisor
 * (count_include_pad / override). Immutable and thread-safe.
 */
public final class FloatPool2d implements FloatOperator {
    private final ConvGeometry g;
    private final boolean max;
    private final boolean countIncludePad;
    private final int divisorOverride;
    private final int threads;

    private FloatPool2d(ConvGeometry g, boolean max, boolean countIncludePad, int divisorOverride, int threads) {
        this.g = java.util.Objects.requireNonNull(g, "geometry");
        this.max = max;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
        this.threads = threads;
    }

    public static FloatPool2d max(ConvGeometry g, int threads) {
        return new FloatPool2d(g, true, false, 0, threads);
    }

    public static FloatPool2d average(ConvGeometry g, boolean countIncludePad, int divisorOverride, int threads) {
        if (g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("FloatAvgPool2d: dilation is not supported, got " + g.dilationH() + "x" + g.dilationW());
        }
        return new FloatPool2d(g, false, countIncludePad, divisorOverride, threads);
    }

    @Override
    public String name() {
        return max ? "FloatMaxPool2d" : "FloatAvgPool2d";
    }

    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        int[] d = PoolShape.check(name(), x.shape(), g);
        int h = d[1];
        int w = d[2];
        int c = d[3];
        int outH = d[4];
        int outW = d[5];
        float[] in = x.data();
        float[] out = new float[d[0] * outH * outW * c];
        Parallel.forRange(d[0] * outH, Threads.resolve(threads), 1, (rs, re) -> {
            float[] acc = new float[c];
            for (int r = rs; r < re; r++) {
                int n = r / outH;
                int oy = r % outH;
                int ys = oy * g.strideH() - g.padH();
                int y0 = PoolShape.first(ys, g.dilationH());
                int y1 = PoolShape.end(ys, g.kernelH(), g.dilationH(), h);
                for (int ox = 0; ox < outW; ox++) {
                    int xs = ox * g.strideW() - g.padW();
                    int x0 = PoolShape.first(xs, g.dilationW());
                    int x1 = PoolShape.end(xs, g.kernelW(), g.dilationW(), w);
                    Arrays.fill(acc, max ? Float.NEGATIVE_INFINITY : 0f);
                    for (int iy = y0; iy < y1; iy += g.dilationH()) {
                        for (int ix = x0; ix < x1; ix += g.dilationW()) {
                            int base = ((n * h + iy) * w + ix) * c;
                            for (int ch = 0; ch < c; ch++) {
                                acc[ch] = max ? Math.max(acc[ch], in[base + ch]) : acc[ch] + in[base + ch];
                            }
                        }
                    }
                    float divisor = 1f;
                    if (!max) {
                        int taps = (y1 - y0) * (x1 - x0);
                        int padded = PoolShape.paddedExtent(ys, g.kernelH(), h, g.padH())
                                * PoolShape.paddedExtent(xs, g.kernelW(), w, g.padW());
                        divisor = divisorOverride > 0 ? divisorOverride : countIncludePad ? padded : taps;
                    }
                    int o = ((n * outH + oy) * outW + ox) * c;
                    for (int ch = 0; ch < c; ch++) {
                        out[o + ch] = max ? acc[ch] : acc[ch] / divisor;
                    }
                }
            }
        });
        return FloatTensor.of(out, d[0], outH, outW, c);
    }
}
