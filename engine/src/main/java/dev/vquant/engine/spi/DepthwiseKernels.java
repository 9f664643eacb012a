package dev.vquant.engine.spi;

/**
 * Depthwise 2-D convolution, NHWC, channel multiplier 1:
 * <pre>acc[n][oy][ox][c] = sum_{ky,kx} (X[n][iy][ix][c] - aZeroPoint) * (W[c][ky][kx] - wZeroPoint[c])</pre>
 * with {@code iy = oy*strideH - padH + ky*dilationH} (same for x); taps outside the image count as
 * {@code X = aZeroPoint}, i.e. contribute nothing (zero padding in real terms). Any kernel size;
 * 3x3 and 5x5 are the fast cases.
 *
 * <p>Work is split by output rows: {@code rowStart <= r < rowEnd} over the {@code batch * outH}
 * rows ({@code r = n*outH + oy}); the input is {@code x[batch][h][w][C]}, the output
 * {@code [batch][outH][outW][C]}, both at offset 0. Implementations validate arguments with
 * {@link KernelArgs} and are thread-safe.
 */
public interface DepthwiseKernels {

    /** Packs {@code w[channels][kh][kw]} qint8 with 1 or {@code channels} zero points. */
    PackedDepthwiseWeights pack(byte[] w, int channels, int kh, int kw, int[] zeroPoints);

    /** Exact int32 accumulators. */
    void convInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                   ConvGeometry g, int rowStart, int rowEnd, int[] out);

    /** Accumulators requantized to quint8 ({@code rq.channels() == channels}). */
    void convRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                        ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out);
}
