package dev.vquant.ops.pool;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized AvgPool2d on NHWC quint8 with PyTorch's integer rounding (its x86 NHWC kernel): per
 * window, {@code acc = sum(q) - zp * taps} over the in-image taps (exact int32),
 * {@code divisor} = the window extent including padding (count_include_pad, the default) or the
 * in-image tap count, or a fixed divisor override, {@code m = f32(f32(sIn / sOut) / divisor)}, and
 * {@code y = clamp(zOut + rint(f32(acc) * m), 0, 255)}. The output keeps the input's qparams
 * (as {@code nn.quantized.AvgPool2d}). PyTorch's scalar channel tail (the last {@code C mod 16}
 * channels on AVX-512) multiplies by {@code 1/(1/m)} instead of {@code m}, which may differ by one
 * at a rounding tie. No dilation (as PyTorch). Immutable and thread-safe.
 */
public final class QAvgPool2d implements QuantizedOperator {
    private final ConvGeometry g;
    private final boolean countIncludePad;
    private final int divisorOverride;
    private final int threads;

    /**
     * @param geometry        kernel, stride and padding (dilation must be 1)
     * @param countIncludePad count padded taps in the divisor (PyTorch's default true)
     * @param divisorOverride a fixed divisor, or 0 for none
     * @param threads         threads, 0 for {@link Threads#get()}
     */
    public QAvgPool2d(ConvGeometry geometry, boolean countIncludePad, int divisorOverride, int threads) {
        this.g = java.util.Objects.requireNonNull(geometry, "geometry");
        if (g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("AvgPool2d: dilation is not supported (PyTorch has none), got "
                    + g.dilationH() + "x" + g.dilationW());
        }
        if (divisorOverride < 0) {
            throw new IllegalArgumentException("AvgPool2d: divisor override must be >= 0, got " + divisorOverride);
        }
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
        this.threads = threads;
    }

    @Override
    public String name() {
        return "AvgPool2d";
    }

    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
        int[] d = PoolShape.check(name(), x.shape(), g);
        int h = d[1];
        int w = d[2];
        int c = d[3];
        int outH = d[4];
        int outW = d[5];
        int zp = q.zeroPoint();
        float ratio = (float) q.scale() / (float) q.scale();
        byte[] in = x.bytes();
        byte[] out = new byte[d[0] * outH * outW * c];
        Parallel.forRange(d[0] * outH, Threads.resolve(threads), 1, (rs, re) -> {
            int[] acc = new int[c];
            for (int r = rs; r < re; r++) {
                int n = r / outH;
                int oy = r % outH;
                int ys = oy * g.strideH() - g.padH();
                int y0 = Math.max(ys, 0);
                int y1 = Math.min(ys + g.kernelH(), h);
                int ph = PoolShape.paddedExtent(ys, g.kernelH(), h, g.padH());
                for (int ox = 0; ox < outW; ox++) {
                    int xs = ox * g.strideW() - g.padW();
                    int x0 = Math.max(xs, 0);
                    int x1 = Math.min(xs + g.kernelW(), w);
                    int pw = PoolShape.paddedExtent(xs, g.kernelW(), w, g.padW());
                    int taps = (y1 - y0) * (x1 - x0);
                    int divisor = divisorOverride > 0 ? divisorOverride : countIncludePad ? ph * pw : taps;
                    float m = ratio / divisor;
                    java.util.Arrays.fill(acc, -zp * taps);
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int base = ((n * h + iy) * w + ix) * c;
                            for (int ch = 0; ch < c; ch++) {
                                acc[ch] += in[base + ch] & 0xFF;
                            }
                        }
                    }
                    int o = ((n * outH + oy) * outW + ox) * c;
                    for (int ch = 0; ch < c; ch++) {
                        out[o + ch] = (byte) PoolRounding.requantize(acc[ch], m, zp);
                    }
                }
            }
        });
        return QTensor.of(out, new int[]{d[0], outH, outW, c}, q);
    }
}
