package dev.vquant.ops.pool;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
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

    private QMaxPool2d(ConvGeometry geometry, boolean ceilMode, int threads) {
        this.g = TensorChecks.notNull("MaxPool2d", "geometry", geometry);
        this.ceilMode = ceilMode;
        this.threads = TensorChecks.threads("MaxPool2d", threads);
    }

    /**
     * Starts a max pooling over {@code kernelSize x kernelSize} windows (PyTorch's
     * {@code nn.quantized.MaxPool2d(kernel_size)}; stride defaults to the kernel size).
     * <pre>QMaxPool2d pool = QMaxPool2d.builder(3).stride(2).padding(1).build();</pre>
     *
     * @param kernelSize the window size
     * @return the builder
     */
    public static Builder builder(int kernelSize) {
        return new Builder(kernelSize, kernelSize);
    }

    /**
     * Starts a max pooling over {@code kernelH x kernelW} windows.
     *
     * @param kernelH window height
     * @param kernelW window width
     * @return the builder
     */
    public static Builder builder(int kernelH, int kernelW) {
        return new Builder(kernelH, kernelW);
    }

    /**
     * Starts a pooling over the window of {@code geometry} (the kernel SPI's type, for callers
     * that already hold one; the builder's window setters then have no effect).
     *
     * @param geometry kernel, stride, padding and dilation
     * @return the builder
     */
    public static Builder builder(ConvGeometry geometry) {
        return new Builder(geometry == null ? 0 : geometry.kernelH(), geometry == null ? 0 : geometry.kernelW())
                .geometry(geometry);
    }

    /** Options of a {@link QMaxPool2d}: the window's ({@link WindowBuilder}). */
    public static final class Builder extends WindowBuilder<Builder> {
        private Builder(int kernelH, int kernelW) {
            super("MaxPool2d", kernelH, kernelW);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * The pooling.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a kernel or stride {@code <= 0},
         *                                  a negative padding or a dilation {@code <= 0}
         */
        public QMaxPool2d build() {
            return new QMaxPool2d(window(), ceil(), threadCount());
        }
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
        int[] d = PoolShape.check(name(), PoolShape.dims(x), g, ceilMode, OutputArena.ints(6));
        int w = d[2];
        int c = d[3];
        byte[] in = x.bytes();
        byte[] out = OutputArena.bytes(d[0] * d[4] * d[5] * c);
        int t = Threads.resolve(threads);
        if (PoolLoop.fixedInline(d, g, t)) {
            // one range in the caller: the previous scope's window body (its scratch sized for c), no lambdas
            MaxWindow body = OutputArena.recall(MaxWindow.class);
            if (body == null || body.acc.length != c) {
                body = new MaxWindow(c);
            }
            OutputArena.keep(body).bind(in, out, w);
            PoolLoop.fixedRows(d, g, body, 0, d[0] * d[4]);
        } else {
            PoolLoop.fixed(d, g, t, () -> new MaxWindow(c).bind(in, out, w));
        }
        return OutputTensors.quantized(out, q, d[0], d[4], d[5], c);
    }

    /**
     * The max window of one thread: per-channel maxima in its own scratch. Bound to one call's
     * arrays by {@link #bind}; kept in an {@link OutputArena} object slot between scopes, used
     * by one thread during one call only.
     */
    private static final class MaxWindow implements PoolLoop.Window {
        private final int[] acc;
        private byte[] in;
        private byte[] out;
        private int w;

        MaxWindow(int c) {
            this.acc = new int[c];
        }

        MaxWindow bind(byte[] in, byte[] out, int w) {
            this.in = in;
            this.out = out;
            this.w = w;
            return this;
        }

        @Override
        public void reduce(int base, int y0, int y1, int dy, int x0, int x1, int dx, int padded, int o) {
            int c = acc.length;
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
        }
    }
}
