package dev.vquant.engine.reference;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelArgs;

/**
 * The extents of one validated depthwise call (int8 or float): input {@code [batch][h][w][channels]},
 * output {@code [batch][outH][outW][channels]}, both NHWC at offset 0, and the output row range
 * {@code [rowStart, rowEnd)} over the {@code batch * outH} rows.
 */
record DepthwiseShape(int batch, int h, int w, int channels, int outH, int outW, int rowStart, int rowEnd) {

    /**
     * The extents of a depthwise call whose arguments {@link KernelArgs#checkDepthwise} accepted.
     */
    static DepthwiseShape of(int batch, int h, int w, int channels, ConvGeometry g, int rowStart, int rowEnd) {
        return new DepthwiseShape(batch, h, w, channels, g.outH(h), g.outW(w), rowStart, rowEnd);
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
