package dev.vquant.engine.spi;

/**
 * Window geometry of a 2-D convolution or pooling: kernel size, stride, symmetric zero padding,
 * dilation (PyTorch's conventions). Output size per axis:
 * {@code (in + 2*pad - dilation*(kernel-1) - 1) / stride + 1}.
 */
public record ConvGeometry(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH,
                           int dilationW) {

    public ConvGeometry {
        if (kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException("kernel size must be > 0, got " + kernelH + "x" + kernelW);
        }
        if (strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("stride must be > 0, got " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padH + "x" + padW);
        }
        if (dilationH <= 0 || dilationW <= 0) {
            throw new IllegalArgumentException("dilation must be > 0, got " + dilationH + "x" + dilationW);
        }
    }

    /** Square kernel, equal stride and padding, no dilation. */
    public static ConvGeometry square(int kernel, int stride, int pad) {
        return new ConvGeometry(kernel, kernel, stride, stride, pad, pad, 1, 1);
    }

    /**
     * Output height for input height {@code h}.
     *
     * @throws IllegalArgumentException when {@code h <= 0}, the dilated kernel does not fit the
     *                                  padded input, or {@code h + 2 * padH} exceeds {@code 2^31-1}
     *                                  (window coordinates must stay within int arithmetic)
     */
    public int outH(int h) {
        return outSize(h, kernelH, strideH, padH, dilationH, "height");
    }

    /** Output width for input width {@code w}; throws as {@link #outH}. */
    public int outW(int w) {
        return outSize(w, kernelW, strideW, padW, dilationW, "width");
    }

    private static int outSize(int in, int k, int s, int p, int d, String what) {
        long span = (long) d * (k - 1) + 1;
        long padded = (long) in + 2L * p;
        if (in <= 0) {
            throw new IllegalArgumentException("input " + what + " must be > 0, got " + in);
        }
        if (padded < span) {
            throw new IllegalArgumentException("input " + what + " " + in + " with padding " + p
                    + " is smaller than the dilated kernel extent " + span);
        }
        if (padded > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("input " + what + " " + in + " with padding " + p + " on both sides is "
                    + padded + ", more than 2^31-1");
        }
        return (int) ((padded - span) / s + 1);
    }
}
