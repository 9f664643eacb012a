package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.Threads;

import java.util.Arrays;

/** float32 twin of {@link QAdaptiveAvgPool2d} (same windows), NHWC. Immutable and thread-safe. */
public final class FloatAdaptiveAvgPool2d implements FloatOperator {
    private final int outH;
    private final int outW;
    private final int threads;

    public FloatAdaptiveAvgPool2d(int outH, int outW, int threads) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("FloatAdaptiveAvgPool2d: output size must be > 0, got " + outH + "x" + outW);
        }
        this.outH = outH;
        this.outW = outW;
        this.threads = threads;
    }

    @Override
    public String name() {
        return "FloatAdaptiveAvgPool2d";
    }

    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        int[] d = PoolShape.checkAdaptive(name(), x.shape(), outH, outW);
        int h = d[1];
        int w = d[2];
        int c = d[3];
        float[] in = x.data();
        float[] out = new float[d[0] * outH * outW * c];
        Parallel.forRange(d[0] * outH, Threads.resolve(threads), 1, (rs, re) -> {
            float[] acc = new float[c];
            for (int r = rs; r < re; r++) {
                int n = r / outH;
                int oy = r % outH;
                int y0 = PoolShape.adaptiveStart(oy, h, outH);
                int y1 = PoolShape.adaptiveEnd(oy, h, outH);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = PoolShape.adaptiveStart(ox, w, outW);
                    int x1 = PoolShape.adaptiveEnd(ox, w, outW);
                    Arrays.fill(acc, 0f);
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int base = ((n * h + iy) * w + ix) * c;
                            for (int ch = 0; ch < c; ch++) {
                                acc[ch] += in[base + ch];
                            }
                        }
                    }
                    float size = (y1 - y0) * (x1 - x0);
                    int o = ((n * outH + oy) * outW + ox) * c;
                    for (int ch = 0; ch < c; ch++) {
                        out[o + ch] = acc[ch] / size;
                    }
                }
            }
        });
        return FloatTensor.of(out, d[0], outH, outW, c);
    }
}
