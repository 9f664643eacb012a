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
        KernelArgs.checkDepthwise(inputLength, batch, h, w, channels, kernelH, kernelW, g, rowStart, rowEnd, outputLength);
        int outH = g.outH(h);
        int outW = g.outW(w);
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
