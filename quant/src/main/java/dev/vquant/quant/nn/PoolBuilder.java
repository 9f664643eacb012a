package dev.vquant.quant.nn;

import dev.vquant.engine.spi.ConvGeometry;

/**
 * The window settings MaxPool2d and AvgPool2d share (kernel, stride defaulting to the kernel,
 * padding, dilation, ceil_mode) and the builder methods that set them.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class PoolBuilder<B extends PoolBuilder<B>> {
    int kh;
    int kw;
    int sh;
    int sw;
    int ph;
    int pw;
    int dh = 1;
    int dw = 1;
    boolean ceilMode;

    PoolBuilder(int kh, int kw) {
        this.kh = kh;
        this.kw = kw;
        this.sh = kh;
        this.sw = kw;
    }

    abstract B self();

    /**
     * {@code stride} (default: the kernel size).
     *
     * @param s the stride along height and width
     * @return this builder
     */
    public B stride(int s) {
        return stride(s, s);
    }

    /**
     * Separate vertical and horizontal strides.
     *
     * @param h the vertical stride
     * @param w the horizontal stride
     * @return this builder
     */
    public B stride(int h, int w) {
        sh = h;
        sw = w;
        return self();
    }

    /**
     * Implicit padding on each side (at most half the kernel): -infinity for max, zeros for average.
     *
     * @param p the padding on each side
     * @return this builder
     */
    public B padding(int p) {
        return padding(p, p);
    }

    /**
     * Separate vertical and horizontal padding.
     *
     * @param h the padding above and below
     * @param w the padding left and right
     * @return this builder
     */
    public B padding(int h, int w) {
        ph = h;
        pw = w;
        return self();
    }

    /**
     * Round the output size up (PyTorch's {@code ceil_mode=True}).
     *
     * @param c whether to round up ({@code ceil_mode})
     * @return this builder
     */
    public B ceilMode(boolean c) {
        ceilMode = c;
        return self();
    }

    ConvGeometry geometry(String op) {
        try {
            ConvGeometry g = new ConvGeometry(kh, kw, sh, sw, ph, pw, dh, dw);
            if (ph * 2 > kh || pw * 2 > kw) {
                throw new IllegalArgumentException("pad should be at most half of effective kernel size, got padding " + ph + "x" + pw
                        + " for kernel " + kh + "x" + kw);
            }
            return g;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    /** {@code kernel_size=.., stride=.., padding=..} as PyTorch prints them. */
    static String repr(ConvGeometry g) {
        return "kernel_size=" + PyRepr.intOrTuple(g.kernelH(), g.kernelW()) + ", stride=" + PyRepr.intOrTuple(g.strideH(), g.strideW())
                + ", padding=" + PyRepr.intOrTuple(g.padH(), g.padW());
    }
}
