package dev.vquant.ops.pool;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

import java.util.Arrays;

/**
 * Quantized MaxPool2d on NHWC quint8 (PyTorch's {@code quantized::max_pool2d}): the maximum stored
 * integer over each window's in-image taps (padding never wins), output with the input's qparams;
 * exact. Geometry as {@link ConvGeometry} (padding at most half the kernel), output size floor or,
 * with {@code ceilMode}, PyTorch's {@code ceil_mode=True} size. Split over output rows. Immutable
 * and thread-safe.
 */
public final class QMaxPool2d implements QuantizedOperator {
    private final ConvGeometry g;
    private final boolean ceilMode;
    private final int threads;

    /**
     * Floor output size ({@code ceil_mode=False}, PyTorch's default).
     *
     * @throws IllegalArgumentException naming the operator for a null geometry or a negative thread count
     */
    public QMaxPool2d(ConvGeometry geometry, int threads) {
        this(geometry, false, threads);
    }

    /**
     * @param geometry kernel, stride, padding (at most half the kernel) and dilation
     * @param ceilMode PyTorch's {@code ceil_mode}: round the output size up
     * @param threads  threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException naming the operator for a null geometry or a negative thread count
     */
    public QMaxPool2d(ConvGeometry geometry, boolean ceilMode, int threads) {
        this.g = TensorChecks.notNull("MaxPool2d", "geometry", geometry);
        this.ceilMode = ceilMode;
        this.threads = TensorChecks.threads("MaxPool2d", threads);
    }

    @Override
    public String name() {
        return "MaxPool2d";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not a per-tensor quint8 NHWC tensor that the window fits, or an output over
     *                                  {@code 2^31-1} elements
     */
    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
        TensorChecks.engine(name(), engine);
        int[] d = PoolShape.check(name(), x.shape(), g, ceilMode);
        int w = d[2];
        int c = d[3];
        byte[] in = x.bytes();
        byte[] out = new byte[d[0] * d[4] * d[5] * c];
        PoolLoop.fixed(d, g, Threads.resolve(threads), () -> {
            int[] acc = new int[c];
            return (base, y0, y1, dy, x0, x1, dx, padded, o) -> {
                Arrays.fill(acc, 0);
                for (int iy = y0; iy < y1; iy += dy) {
                    for (int ix = x0; ix < x1; ix += dx) {
                        int t = base + (iy * w + ix) * c;
                        for (int ch = 0; ch < c; ch++) {
                            acc[ch] = Math.max(acc[ch], in[t + ch] & 0xFF);
                        }
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    out[o + ch] = (byte) acc[ch];
                }
            };
        });
        return QTensor.of(out, new int[]{d[0], d[4], d[5], c}, q);
    }
}
