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
 * {@code [batch][outH][outW][C]}, both at offset 0. Implementations are thread-safe.
 *
 * <p>Validated once: the {@code conv...} entry points check their arguments with
 * {@link KernelArgs#checkDepthwiseCall} and run the matching {@code run...} kernel, which only
 * asserts them. An operator that splits one call over threads checks the whole call once and
 * calls {@code run...} per row block.
 */
public interface DepthwiseKernels {

    /**
     * Packs {@code w[channels][kh][kw]} qint8 with 1 or {@code channels} zero points.
     *
     * @param w          qint8 weights {@code [channels][kh][kw]} row-major (PyTorch's {@code [C, 1, KH, KW]}); not retained
     * @param channels   channel count {@code C}
     * @param kh         kernel height
     * @param kw         kernel width
     * @param zeroPoints 1 (per tensor) or {@code channels} weight zero points, each in {@code [-128, 127]}
     * @return the packed weights for this backend's conv methods
     * @throws IllegalArgumentException for a null array, non-positive sizes, a length other than {@code C*KH*KW} or bad zero points
     */
    PackedDepthwiseWeights pack(byte[] w, int channels, int kh, int kw, int[] zeroPoints);

    /**
     * Exact int32 accumulators.
     *
     * @param x          quint8 input {@code [batch][h][w][C]} NHWC
     * @param batch      number of images
     * @param h          input height
     * @param w          input width
     * @param aZeroPoint activation zero point, 0..255
     * @param weights    weights packed by this backend's {@link #pack}
     * @param g          kernel size (must match {@code weights}), stride, padding and dilation
     * @param rowStart   first output row (of {@code batch * outH}) to compute
     * @param rowEnd     end of the output rows, exclusive
     * @param out        output {@code [batch][outH][outW][C]} NHWC; only the given rows are written
     * @throws IllegalArgumentException for array lengths that do not fit the shape, a geometry that does not match the weights, weights packed by another engine or a bad row range
     */
    default void convInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                           ConvGeometry g, int rowStart, int rowEnd, int[] out) {
        KernelArgs.checkDepthwiseCall(x, batch, h, w, aZeroPoint, weights, g, null, 0, rowStart, rowEnd,
                out == null ? -1 : out.length);
        runInt32(x, batch, h, w, aZeroPoint, weights, g, rowStart, rowEnd, out);
    }

    /**
     * Accumulators requantized to quint8 ({@code rq.channels() == channels}).
     *
     * @param x          quint8 input {@code [batch][h][w][C]} NHWC
     * @param batch      number of images
     * @param h          input height
     * @param w          input width
     * @param aZeroPoint activation zero point, 0..255
     * @param weights    weights packed by this backend's {@link #pack}
     * @param g          kernel size (must match {@code weights}), stride, padding and dilation
     * @param rq         requantization with {@code rq.channels() == C}
     * @param rowStart   first output row (of {@code batch * outH}) to compute
     * @param rowEnd     end of the output rows, exclusive
     * @param out        quint8 output {@code [batch][outH][outW][C]} NHWC; only the given rows are written
     * @throws IllegalArgumentException for array lengths that do not fit the shape, a geometry that does not match the weights, weights packed by another engine or a bad row range
     */
    default void convRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                                ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out) {
        KernelArgs.checkDepthwiseCall(x, batch, h, w, aZeroPoint, weights, g, "requantization",
                rq == null ? -1 : rq.channels(), rowStart, rowEnd, out == null ? -1 : out.length);
        runRequantize(x, batch, h, w, aZeroPoint, weights, g, rq, rowStart, rowEnd, out);
    }

    /**
     * The kernel behind {@link #convInt32}, for callers that validated the call once: the
     * arguments must pass {@link KernelArgs#checkDepthwiseCall}; implementations assert that and
     * throw {@link IllegalArgumentException} only for weights packed by another engine.
     *
     * @param x          quint8 input {@code [batch][h][w][C]} NHWC
     * @param batch      number of images
     * @param h          input height
     * @param w          input width
     * @param aZeroPoint activation zero point, 0..255
     * @param weights    weights packed by this backend's {@link #pack}
     * @param g          kernel size (matching {@code weights}), stride, padding and dilation
     * @param rowStart   first output row (of {@code batch * outH}) to compute
     * @param rowEnd     end of the output rows, exclusive
     * @param out        output {@code [batch][outH][outW][C]} NHWC; only the given rows are written
     */
    void runInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights, ConvGeometry g,
                  int rowStart, int rowEnd, int[] out);

    /**
     * The kernel behind {@link #convRequantize}, for callers that validated the call once
     * (preconditions as {@link #runInt32}, and {@code rq.channels() == C}).
     *
     * @param x          quint8 input {@code [batch][h][w][C]} NHWC
     * @param batch      number of images
     * @param h          input height
     * @param w          input width
     * @param aZeroPoint activation zero point, 0..255
     * @param weights    weights packed by this backend's {@link #pack}
     * @param g          kernel size (matching {@code weights}), stride, padding and dilation
     * @param rq         requantization with {@code rq.channels() == C}
     * @param rowStart   first output row (of {@code batch * outH}) to compute
     * @param rowEnd     end of the output rows, exclusive
     * @param out        quint8 output {@code [batch][outH][outW][C]} NHWC; only the given rows are written
     */
    void runRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                       ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out);
}
