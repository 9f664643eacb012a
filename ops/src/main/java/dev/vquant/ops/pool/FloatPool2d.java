package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
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
     * Max pooling over {@code g}'s windows, floor output size.
     *
     * @throws IllegalArgumentException for a null geometry or a negative thread count
     */
    public static FloatPool2d max(ConvGeometry g, int threads) {
        return max(g, false, threads);
    }

    /**
     * Max pooling; {@code ceilMode} rounds the output size up as PyTorch's {@code ceil_mode=True}.
     *
     * @throws IllegalArgumentException for a null geometry or a negative thread count
     */
    public static FloatPool2d max(ConvGeometry g, boolean ceilMode, int threads) {
        return new FloatPool2d(g, true, ceilMode, false, 0, threads);
    }

    /**
     * Average pooling over {@code g}'s windows (no dilation), floor output size, as {@link QAvgPool2d}.
     *
     * @throws IllegalArgumentException for a null geometry, a dilation other than 1, a negative
     *                                  divisor override or a negative thread count
     */
    public static FloatPool2d average(ConvGeometry g, boolean countIncludePad, int divisorOverride, int threads) {
        return average(g, false, countIncludePad, divisorOverride, threads);
    }

    /**
     * Average pooling; {@code ceilMode} rounds the output size up as PyTorch's {@code ceil_mode=True}
     * (a window running past the padded input counts only up to {@code in + pad} in its
     * count_include_pad divisor, as PyTorch).
     *
     * @throws IllegalArgumentException for a null geometry, a dilation other than 1, a negative
     *                                  divisor override or a negative thread count
     */
    public static FloatPool2d average(ConvGeometry g, boolean ceilMode, boolean countIncludePad, int divisorOverride,
                                      int threads) {
        FloatPool2d p = new FloatPool2d(g, false, ceilMode, countIncludePad, divisorOverride, threads);
        if (g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("FloatAvgPool2d: dilation is not supported, got " + g.dilationH() + "x" + g.dilationW());
        }
        if (divisorOverride < 0) {
            throw new IllegalArgumentException("FloatAvgPool2d: divisor override must be >= 0, got " + divisorOverride);
        }
        return p;
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
        float[] out = new float[d[0] * d[4] * d[5] * d[3]];
        FloatWindow.Divisor div = max ? null
                : (taps, padded) -> divisorOverride > 0 ? divisorOverride : countIncludePad ? padded : taps;
        PoolLoop.fixed(d, g, Threads.resolve(threads), () -> new FloatWindow(x.data(), out, d[2], d[3], div));
        return FloatTensor.of(out, d[0], d[4], d[5], d[3]);
    }
}
