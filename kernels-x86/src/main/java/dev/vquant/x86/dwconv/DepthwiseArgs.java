package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelArgs;

/**
 * Argument checks of one depthwise call (int8 or float): input {@code [batch][h][w][channels]},
 * output {@code [batch][outH][outW][channels]}, both NHWC at offset 0, output rows
 * {@code [rowStart, rowEnd)} over the {@code batch * outH} rows.
 */
final class DepthwiseArgs {
    private DepthwiseArgs() {
    }

    /**
     * Checks every argument of a depthwise call against the packed weights' extents.
     *
     * @throws IllegalArgumentException naming the first bad argument
     */
    static void check(Object input, int inputLength, int batch, int h, int w, int channels, int kernelH,
                               int kernelW, ConvGeometry g, int rowStart, int rowEnd, Object output, int outputLength) {
        if (input == null) {
            throw new IllegalArgumentException("depthwise input array must not be null");
        }
        if (output == null) {
            throw new IllegalArgumentException("depthwise output array must not be null");
        }
        if (g == null) {
            throw new IllegalArgumentException("convolution geometry must not be null");
        }
        KernelArgs.checkPositive("batch", batch);
        KernelArgs.checkPositive("input height", h);
        KernelArgs.checkPositive("input width", w);
        if (g.kernelH() != kernelH || g.kernelW() != kernelW) {
            throw new IllegalArgumentException("geometry kernel " + g.kernelH() + "x" + g.kernelW()
                    + " does not match the packed weights' " + kernelH + "x" + kernelW);
        }
        int outH = g.outH(h);
        int outW = g.outW(w);
        long inSize = (long) batch * h * w * channels;
        long outSize = (long) batch * outH * outW * channels;
        if (inSize > Integer.MAX_VALUE || outSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("depthwise tensors over 2^31-1 elements are not supported: input "
                    + inSize + ", output " + outSize);
        }
        long rows = (long) batch * outH;
        if (rowStart < 0 || rowStart > rowEnd || rowEnd > rows) {
            throw new IllegalArgumentException("output row range [" + rowStart + ", " + rowEnd + ") is outside [0, " + rows
                    + ") (batch " + batch + " x output height " + outH + ")");
        }
        KernelArgs.checkRange("depthwise input", inputLength, 0, (int) inSize);
        KernelArgs.checkRange("depthwise output", outputLength, 0, (int) outSize);
    }
}
