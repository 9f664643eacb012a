package dev.vquant.quant.nn;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.pool.FloatPool2d;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.autograd.PoolGrad;

/**
 * The maximum over each window, PyTorch's {@code nn.MaxPool2d(kernel_size, stride=kernel_size,
 * padding=0, dilation=1, ceil_mode=False)}, on {@link FloatPool2d} (NHWC; the output is
 * channels-last). {@code new MaxPool2d(2)} or
 * {@code MaxPool2d.builder(3).stride(2).padding(1).ceilMode(true).build()}.
 */
public final class MaxPool2d extends Module {
    private final ConvGeometry geometry;
    private final boolean ceilMode;
    private final FloatPool2d op;

    /**
     * Square window, stride = kernel, no padding.
     *
     * @param kernelSize the window's height and width
     * @throws IllegalArgumentException when {@code kernelSize} is not positive
     */
    public MaxPool2d(int kernelSize) {
        this(builder(kernelSize));
    }

    private MaxPool2d(Builder w) {
        this.geometry = w.geometry("MaxPool2d");
        this.ceilMode = w.ceilMode;
        this.op = FloatPool2d.max(geometry).ceilMode(ceilMode).build();
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

    /** MaxPool2d's optional arguments (stride, padding, ceil_mode from {@link PoolBuilder}). */
    public static final class Builder extends PoolBuilder<Builder> {

        private Builder(int kh, int kw) {
            super(kh, kw);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * {@code dilation} (default 1).
         *
         * @param d the spacing of window taps along height and width
         * @return this builder
         */
        public Builder dilation(int d) {
            dh = d;
            dw = d;
            return this;
        }

        /**
         * A new pooling module of these settings.
         *
         * @return the module
         * @throws IllegalArgumentException for invalid sizes or padding over half the kernel
         */
        public MaxPool2d build() {
            return new MaxPool2d(this);
        }
    }

    /** {@return the kernel, stride, padding and dilation} */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** {@return whether the output size rounds up} */
    public boolean ceilMode() {
        return ceilMode;
    }

    /** @throws IllegalArgumentException when x is not 4-D, smaller than the window, or quantized */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = Pooling.run(this, op, x);
        GradTape tape = GradTape.recording();
        if (tape != null) {
            PoolGrad.max(tape, x, y, geometry);
        }
        return y;
    }

    @Override
    protected String extraRepr() {
        return PoolBuilder.repr(geometry) + ", dilation=" + PyRepr.intOrTuple(geometry.dilationH(), geometry.dilationW())
                + ", ceil_mode=" + PyRepr.bool(ceilMode);
    }
}
