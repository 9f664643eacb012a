package dev.vquant.ops.pool;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized AdaptiveAvgPool2d on NHWC quint8 (PyTorch's {@code adaptive_avg_pool2d} on a quantized
 * tensor): output cell {@code (oy, ox)} averages input rows
 * {@code [floor(oy*H/outH), ceil((oy+1)*H/outH))} (same for columns); {@code acc = sum(q) - zp*size},
 * {@code m = f32(f32(sIn / sOut) / size)} and, as PyTorch passes {@code 1/m} as a scale to its
 * quantizer, {@code y = clamp(zOut + rint(f32(acc) * f32(1 / f32(1 / m))), 0, 255)}. The output keeps
 * the input's qparams. Immutable and thread-safe.
 */
public final class QAdaptiveAvgPool2d implements QuantizedOperator {
    private final int outH;
    private final int outW;
    private final int threads;

    public QAdaptiveAvgPool2d(int outH, int outW, int threads) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be > 0, got " + outH + "x" + outW);
        }
        this.outH = outH;
        this.outW = outW;
        this.threads = threads;
    }

    @Override
    public String name() {
        return "AdaptiveAvgPool2d";
    }

    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
        int[] d = PoolShape.checkAdaptive(name(), x.shape(), outH, outW);
        int h = d[1];
        int w = d[2];
        int c = d[3];
        int zp = q.zeroPoint();
        float ratio = (float) q.scale() / (float) q.scale();
        byte[] in = x.bytes();
        byte[] out = new byte[d[0] * outH * outW * c];
        Parallel.forRange(d[0] * outH, Threads.resolve(threads), 1, (rs, re) -> {
            int[] acc = new int[c];
            for (int r = rs; r < re; r++) {
                int n = r / outH;
                int oy = r % outH;
                int y0 = PoolShape.adaptiveStart(oy, h, outH);
                int y1 = PoolShape.adaptiveEnd(oy, h, outH);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = PoolShape.adaptiveStart(ox, w, outW);
                    int x1 = PoolShape.adaptiveEnd(ox, w, outW);
                    int size = (y1 - y0) * (x1 - x0);
                    float m = ratio / size;
                    float effective = 1.0f / (1.0f / m);
                    java.util.Arrays.fill(acc, -zp * size);
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
                        out[o + ch] = (byte) PoolRounding.requantize(acc[ch], effective, zp);
                    }
                }
            }
        });
        return QTensor.of(out, new int[]{d[0], outH, outW, c}, q);
    }
}
