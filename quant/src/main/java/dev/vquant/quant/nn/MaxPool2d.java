package dev.vquant.quant.nn;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.pool.FloatPool2d;
import dev.vquant.quant.Tensor;

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

    /** Square window, stride = kernel, no padding. */
    public MaxPool2d(int kernelSize) {
        this(builder(kernelSize).window);
    }

    private MaxPool2d(PoolWindow w) {
        this.geometry = w.geometry("MaxPool2d");
        this.ceilMode = w.ceilMode;
        this.op = FloatPool2d.max(geometry, ceilMode, 0);
    }

    public static Builder builder(int kernelSize) {
        return new Builder(kernelSize, kernelSize);
    }

    public static Builder builder(int kernelH, int kernelW) {
        return new Builder(kernelH, kernelW);
    }

    /** MaxPool2d's optional arguments. */
    public static final class Builder {
        private final PoolWindow window;

        private Builder(int kh, int kw) {
            window = new PoolWindow(kh, kw);
        }

        public Builder stride(int s) {
            return stride(s, s);
        }

        public Builder stride(int h, int w) {
            window.sh = h;
            window.sw = w;
            return this;
        }

        /** Implicit padding with -infinity on each side (at most half the kernel). */
        public Builder padding(int p) {
            return padding(p, p);
        }

        public Builder padding(int h, int w) {
            window.ph = h;
            window.pw = w;
            return this;
        }

        public Builder dilation(int d) {
            window.dh = d;
            window.dw = d;
            return this;
        }

        /** Round the output size up (PyTorch's {@code ceil_mode=True}). */
        public Builder ceilMode(boolean c) {
            window.ceilMode = c;
            return this;
        }

        /** @throws IllegalArgumentException for invalid sizes or padding over half the kernel */
        public MaxPool2d build() {
            return new MaxPool2d(window);
        }
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    /** @throws IllegalArgumentException when x is not 4-D, smaller than the window, or quantized */
    @Override
    public Tensor forward(Tensor x) {
        return Pooling.run(this, op, x);
    }

    @Override
    protected String extraRepr() {
        return PoolWindow.repr(geometry) + ", dilation=" + PyRepr.intOrTuple(geometry.dilationH(), geometry.dilationW())
                + ", ceil_mode=" + PyRepr.bool(ceilMode);
    }
}
