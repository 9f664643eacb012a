package dev.vquant.quant.nn;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.pool.FloatPool2d;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.autograd.PoolGrad;

/**
 * The mean over each window, PyTorch's {@code nn.AvgPool2d(kernel_size, stride=kernel_size,
 * padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)}, on
 * {@link FloatPool2d} (NHWC; the output is channels-last).
 */
public final class AvgPool2d extends Module {
    private final ConvGeometry geometry;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final int divisorOverride;
    private final FloatPool2d op;

    /**
     * Square window, stride = kernel, no padding.
     *
     * @param kernelSize the window's height and width
     * @throws IllegalArgumentException when {@code kernelSize} is not positive
     */
    public AvgPool2d(int kernelSize) {
        this(builder(kernelSize));
    }

    private AvgPool2d(Builder b) {
        this.geometry = b.geometry("AvgPool2d");
        this.ceilMode = b.ceilMode;
        this.countIncludePad = b.countIncludePad;
        this.divisorOverride = b.divisorOverride;
        this.op = FloatPool2d.average(geometry)
                .ceilMode(ceilMode).countIncludePad(countIncludePad).divisorOverride(divisorOverride).build();
    }

    /**
     * A builder for a square {@code kernelSize} window with PyTorch's defaults.
     *
     * @param kernelSize the window's height and width
     * @return a new builder
     */
    public static Builder builder(int kernelSize) {
        return new Builder(kernelSize, kernelSize);
    }

    /**
     * A builder for a {@code kernelH x kernelW} window with PyTorch's defaults.
     *
     * @param kernelH the window's height
     * @param kernelW the window's width
     * @return a new builder
     */
    public static Builder builder(int kernelH, int kernelW) {
        return new Builder(kernelH, kernelW);
    }

    /** AvgPool2d's optional arguments (stride, padding, ceil_mode from {@link PoolBuilder}). */
    public static final class Builder extends PoolBuilder<Builder> {
        private boolean countIncludePad = true;
        private int divisorOverride;

        private Builder(int kh, int kw) {
            super(kh, kw);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Whether padded zeros count in the divisor (default true).
         *
         * @param c whether padded zeros count ({@code count_include_pad})
         * @return this builder
         */
        public Builder countIncludePad(boolean c) {
            countIncludePad = c;
            return this;
        }

        /**
         * A fixed divisor instead of the window size.
         *
         * @param d the divisor ({@code divisor_override})
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder divisorOverride(int d) {
            if (d <= 0) {
                throw new IllegalArgumentException("AvgPool2d: divisor_override must be > 0, got " + d);
            }
            divisorOverride = d;
            return this;
        }

        /**
         * A new pooling module of these settings.
         *
         * @return the module
         * @throws IllegalArgumentException for invalid sizes or padding over half the kernel
         */
        public AvgPool2d build() {
            return new AvgPool2d(this);
        }
    }

    /** {@return the kernel, stride and padding} */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** {@return whether the output size rounds up} */
    public boolean ceilMode() {
        return ceilMode;
    }

    /** {@return whether padded zeros count in the divisor} */
    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** {@return the fixed divisor, or 0 for none} */
    public int divisorOverride() {
        return divisorOverride;
    }

    /** @throws IllegalArgumentException when x is not 4-D, smaller than the window, or quantized */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = Pooling.run(this, op, x);
        GradTape tape = GradTape.recording();
        if (tape != null) {
            PoolGrad.average(tape, x, y, geometry, countIncludePad, divisorOverride);
        }
        return y;
    }

    @Override
    protected String extraRepr() {
        return PoolBuilder.repr(geometry);
    }
}
