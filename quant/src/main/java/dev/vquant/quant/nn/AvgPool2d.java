package dev.vquant.quant.nn;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.pool.FloatPool2d;
import dev.vquant.quant.Tensor;

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

    /** Square window, stride = kernel, no padding. */
    public AvgPool2d(int kernelSize) {
        this(builder(kernelSize));
    }

    private AvgPool2d(Builder b) {
        this.geometry = b.window.geometry("AvgPool2d");
        if (b.divisorOverride < 0) {
            throw new IllegalArgumentException("AvgPool2d: divisor_override must be > 0, got " + b.divisorOverride);
        }
        this.ceilMode = b.window.ceilMode;
        this.countIncludePad = b.countIncludePad;
        this.divisorOverride = b.divisorOverride;
        this.op = FloatPool2d.average(geometry, ceilMode, countIncludePad, divisorOverride, 0);
    }

    public static Builder builder(int kernelSize) {
        return new Builder(kernelSize, kernelSize);
    }

    public static Builder builder(int kernelH, int kernelW) {
        return new Builder(kernelH, kernelW);
    }

    /** AvgPool2d's optional arguments. */
    public static final class Builder {
        private final PoolWindow window;
        private boolean countIncludePad = true;
        private int divisorOverride;

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

        /** Implicit zero padding on each side (at most half the kernel). */
        public Builder padding(int p) {
            return padding(p, p);
        }

        public Builder padding(int h, int w) {
            window.ph = h;
            window.pw = w;
            return this;
        }

        /** Round the output size up (PyTorch's {@code ceil_mode=True}). */
        public Builder ceilMode(boolean c) {
            window.ceilMode = c;
            return this;
        }

        /** Whether padded zeros count in the divisor (default true). */
        public Builder countIncludePad(boolean c) {
            countIncludePad = c;
            return this;
        }

        /** A fixed divisor instead of the window size. */
        public Builder divisorOverride(int d) {
            if (d <= 0) {
                throw new IllegalArgumentException("AvgPool2d: divisor_override must be > 0, got " + d);
            }
            divisorOverride = d;
            return this;
        }

        /** @throws IllegalArgumentException for invalid sizes or padding over half the kernel */
        public AvgPool2d build() {
            return new AvgPool2d(this);
        }
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** The fixed divisor, or 0 for none. */
    public int divisorOverride() {
        return divisorOverride;
    }

    /** @throws IllegalArgumentException when x is not 4-D, smaller than the window, or quantized */
    @Override
    public Tensor forward(Tensor x) {
        return Pooling.run(this, op, x);
    }

    @Override
    protected String extraRepr() {
        return PoolWindow.repr(geometry);
    }
}
