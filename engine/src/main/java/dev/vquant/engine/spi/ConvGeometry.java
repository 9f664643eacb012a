package dev.vquant.engine.spi;

/**
 * Window geometry of a 2-D convolution or pooling: kernel size, stride, symmetric zero padding,
 * dilation (PyTorch's conventions). Output size per axis:
 * {@code (in + 2*pad - dilation*(kernel-1) - 1) / stride + 1}.
 *
 * @param kernelH   kernel height in taps, {@code > 0}
 * @param kernelW   kernel width in taps, {@code > 0}
 * @param strideH   vertical stride, {@code > 0}
 * @param strideW   horizontal stride, {@code > 0}
 * @param padH      zero rows added above and below, {@code >= 0}
 * @param padW      zero columns added left and right, {@code >= 0}
 * @param dilationH vertical spacing of the taps, {@code > 0} (1 = dense)
 * @param dilationW horizontal spacing of the taps, {@code > 0} (1 = dense)
 */
public record ConvGeometry(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH,
                           int dilationW) {

    /**
     * Validates the geometry.
     *
     * @throws IllegalArgumentException when a kernel size, stride or dilation is not positive or
     *                                  a padding is negative
     */
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

    /**
     * Square kernel, equal stride and padding, no dilation.
     *
     * @param kernel kernel height and width
     * @param stride stride on both axes
     * @param pad    padding on both axes
     * @return the geometry
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static ConvGeometry square(int kernel, int stride, int pad) {
        return new ConvGeometry(kernel, kernel, stride, stride, pad, pad, 1, 1);
    }

    /**
     * Output height for input height {@code h}.
     *
     * @param h input height
     * @return the output height, {@code >= 1}
     * @throws IllegalArgumentException when {@code h <= 0}, the dilated kernel does not fit the
     *                                  padded input, or {@code h + 2 * padH} exceeds {@code 2^31-1}
     *                                  (window coordinates must stay within int arithmetic)
     */
    public int outH(int h) {
        return outSize(h, kernelH, strideH, padH, dilationH, "height");
    }

    /**
     * Output width for input width {@code w}; throws as {@link #outH}.
     *
     * @param w input width
     * @return the output width, {@code >= 1}
     * @throws IllegalArgumentException as {@link #outH}, for the width
     */
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
