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
 * Quantized MaxPool2d on NHWC quint8 (PyTorch's {@code quantized::max_pool2d}): the maximum stored
 * integer over each window's in-image taps (padding never wins), output with the input's qparams;
 * exact. Geometry as {@link ConvGeometry} (floor output size, padding at most half the kernel).
 * Split over output rows. Immutable and thread-safe.
 */
public final class QMaxPool2d implements QuantizedOperator {
    private final ConvGeometry g;
    private final int threads;

    public QMaxPool2d(ConvGeometry geometry, int threads) {
        this.g = java.util.Objects.requireNonNull(geometry, "geometry");
        this.threads = threads;
    }

    @Override
    public String name() {
        return "MaxPool2d";
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
        byte[] in = x.bytes();
        byte[] out = new byte[d[0] * outH * outW * c];
        Parallel.forRange(d[0] * outH, Threads.resolve(threads), 1, (rs, re) -> {
            int[] acc = new int[c];
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
                    java.util.Arrays.fill(acc, 0);
                    for (int iy = y0; iy < y1; iy += g.dilationH()) {
                        for (int ix = x0; ix < x1; ix += g.dilationW()) {
                            int base = ((n * h + iy) * w + ix) * c;
                            for (int ch = 0; ch < c; ch++) {
                                acc[ch] = Math.max(acc[ch], in[base + ch] & 0xFF);
                            }
                        }
                    }
                    int o = ((n * outH + oy) * outW + ox) * c;
                    for (int ch = 0; ch < c; ch++) {
                        out[o + ch] = (byte) acc[ch];
                    }
                }
            }
        });
        return QTensor.of(out, new int[]{d[0], outH, outW, c}, q);
    }
}
