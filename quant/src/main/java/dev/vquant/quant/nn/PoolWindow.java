package dev.vquant.quant.nn;

import dev.vquant.engine.spi.ConvGeometry;

/** The window settings MaxPool2d and AvgPool2d share: kernel, stride (default: the kernel), padding, dilation, ceil_mode. */
final class PoolWindow {
    int kh;
    int kw;
    int sh;
    int sw;
    int ph;
    int pw;
    int dh = 1;
    int dw = 1;
    boolean ceilMode;

    PoolWindow(int kh, int kw) {
        this.kh = kh;
        this.kw = kw;
        this.sh = kh;
        this.sw = kw;
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
