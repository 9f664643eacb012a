package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

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
    private final boolean ceilMode;

    private FloatPool2d(ConvGeometry g, boolean max, boolean ceilMode, boolean countIncludePad, int divisorOverride, int threads) {
        this.max = max;
        this.g = TensorChecks.notNull(name(), "geometry", g);
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
        this.threads = TensorChecks.threads(name(), threads);
        this.ceilMode = ceilMode;
    }

    /**
     * Starts a max pooling over {@code kernelSize x kernelSize} windows (PyTorch's
     * {@code nn.MaxPool2d(kernel_size)}; stride defaults to the kernel size), as {@link QMaxPool2d}.
     * <pre>FloatPool2d pool = FloatPool2d.max(3).stride(2).padding(1).build();</pre>
     *
     * @param kernelSize the window size
     * @return the builder
     */
    public static MaxBuilder max(int kernelSize) {
        return new MaxBuilder(kernelSize, kernelSize);
    }

    /**
     * Starts a max pooling over {@code kernelH x kernelW} windows.
     *
     * @param kernelH window height
     * @param kernelW window width
     * @return the builder
     */
    public static MaxBuilder max(int kernelH, int kernelW) {
        return new MaxBuilder(kernelH, kernelW);
    }

    /**
     * Starts a max pooling over the window of {@code geometry} (the kernel SPI's type, for callers
     * that already hold one; the builder's window setters then have no effect).
     *
     * @param geometry kernel, stride, padding and dilation
     * @return the builder
     */
    public static MaxBuilder max(ConvGeometry geometry) {
        return new MaxBuilder(geometry == null ? 0 : geometry.kernelH(), geometry == null ? 0 : geometry.kernelW())
                .geometry(geometry);
    }

    /**
     * Starts an average pooling over {@code kernelSize x kernelSize} windows (PyTorch's
     * {@code nn.AvgPool2d(kernel_size)}; stride defaults to the kernel size), as {@link QAvgPool2d}.
     * <pre>FloatPool2d pool = FloatPool2d.average(3).stride(1).padding(1).countIncludePad(false).build();</pre>
     *
     * @param kernelSize the window size
     * @return the builder
     */
    public static AverageBuilder average(int kernelSize) {
        return new AverageBuilder(kernelSize, kernelSize);
    }

    /**
     * Starts an average pooling over {@code kernelH x kernelW} windows.
     *
     * @param kernelH window height
     * @param kernelW window width
     * @return the builder
     */
    public static AverageBuilder average(int kernelH, int kernelW) {
        return new AverageBuilder(kernelH, kernelW);
    }

    /**
     * Starts an average pooling over the window of {@code geometry} (the kernel SPI's type, for
     * callers that already hold one; the builder's window setters then have no effect).
     *
     * @param geometry kernel, stride, padding and dilation
     * @return the builder
     */
    public static AverageBuilder average(ConvGeometry geometry) {
        return new AverageBuilder(geometry == null ? 0 : geometry.kernelH(), geometry == null ? 0 : geometry.kernelW())
                .geometry(geometry);
    }

    /** Options of a float max pooling: the window's ({@link WindowBuilder}). */
    public static final class MaxBuilder extends WindowBuilder<MaxBuilder> {
        private MaxBuilder(int kernelH, int kernelW) {
            super("FloatMaxPool2d", kernelH, kernelW);
        }

        @Override
        protected MaxBuilder self() {
            return this;
        }

        /**
         * The pooling.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a kernel or stride {@code <= 0},
         *                                  a negative padding or a dilation {@code <= 0}
         */
        public FloatPool2d build() {
            return new FloatPool2d(window(), true, ceil(), false, 0, threadCount());
        }
    }

    /**
     * Options of a float average pooling: the window's, {@code count_include_pad} and
     * {@code divisor_override} ({@link AverageWindowBuilder}).
     */
    public static final class AverageBuilder extends AverageWindowBuilder<AverageBuilder> {
        private AverageBuilder(int kernelH, int kernelW) {
            super("FloatAvgPool2d", kernelH, kernelW);
        }

        @Override
        protected AverageBuilder self() {
            return this;
        }

        /**
         * The pooling.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a kernel or stride {@code <= 0},
         *                                  a negative padding, a dilation other than 1 or a negative
         *                                  divisor override
         */
        public FloatPool2d build() {
            ConvGeometry g = window();
            int divisorOverride = divisor();
            FloatPool2d p = new FloatPool2d(g, false, ceil(), includePad(), divisorOverride, threadCount());
            if (g.dilationH() != 1 || g.dilationW() != 1) {
                throw new IllegalArgumentException("FloatAvgPool2d: dilation is not supported, got " + g.dilationH() + "x" + g.dilationW());
            }
            if (divisorOverride < 0) {
                throw new IllegalArgumentException("FloatAvgPool2d: divisor override must be >= 0, got " + divisorOverride);
            }
            return p;
        }
    }

    @Override
    public String name() {
        return max ? "FloatMaxPool2d" : "FloatAvgPool2d";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not an NHWC tensor that the window fits, or an output over
     *                                  {@code 2^31-1} elements
     */
    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(name(), "input", x);
        TensorChecks.engine(name(), engine);
        int[] d = PoolShape.check(name(), x.shape(), g, ceilMode);
        float[] out = OutputArena.floats(d[0] * d[4] * d[5] * d[3]);
        FloatWindow.Divisor div = max ? null
                : (taps, padded) -> divisorOverride > 0 ? divisorOverride : countIncludePad ? padded : taps;
        PoolLoop.fixed(d, g, Threads.resolve(threads), () -> new FloatWindow(x.data(), out, d[2], d[3], div));
        return OutputTensors.floats(out, d[0], d[4], d[5], d[3]);
    }
}
