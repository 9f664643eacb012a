package dev.vquant.engine.reference;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelArgs;

/**
 * The validated extents of one depthwise call (int8 or float): input {@code [batch][h][w][channels]},
 * output {@code [batch][outH][outW][channels]}, both NHWC at offset 0, and the output row range
 * {@code [rowStart, rowEnd)} over the {@code batch * outH} rows.
 */
record DepthwiseShape(int batch, int h, int w, int channels, int outH, int outW, int rowStart, int rowEnd) {

    /**
     * Checks every argument of a depthwise call against the packed weights' extents and returns
     * the output extents.
     *
     * @throws IllegalArgumentException naming the first bad argument
     */
    static DepthwiseShape check(int inputLength, int batch, int h, int w, int channels, int kernelH, int kernelW,
                                ConvGeometry g, int rowStart, int rowEnd, int outputLength) {
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
        int inSize = ReferenceArgs.product("input [" + batch + "][" + h + "][" + w + "][" + channels + "]", batch, h, w, channels);
        int outSize = ReferenceArgs.product("output [" + batch + "][" + outH + "][" + outW + "][" + channels + "]",
                batch, outH, outW, channels);
        int rows = batch * outH;
        if (rowStart < 0 || rowStart > rowEnd || rowEnd > rows) {
            throw new IllegalArgumentException("output row range [" + rowStart + ", " + rowEnd + ") is outside [0, " + rows
                    + ") (batch " + batch + " x output height " + outH + ")");
        }
        KernelArgs.checkRange("depthwise input", inputLength, 0, inSize);
        KernelArgs.checkRange("depthwise output", outputLength, 0, outSize);
        return new DepthwiseShape(batch, h, w, channels, outH, outW, rowStart, rowEnd);
    }

    /** Flat index of input element {@code [n][y][x][c]}. */
    int inputIndex(int n, int y, int x, int c) {
        return ((n * h + y) * w + x) * channels + c;
    }

    /** Flat index of output element {@code [row][ox][c]}, {@code row = n * outH + oy}. */
    int outputIndex(int row, int ox, int c) {
        return (row * outW + ox) * channels + c;
    }
}
