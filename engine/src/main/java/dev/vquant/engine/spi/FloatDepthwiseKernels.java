package dev.vquant.engine.spi;

/**
 * float32 depthwise 2-D convolution, NHWC, channel multiplier 1, the twin of
 * {@link DepthwiseKernels} (same geometry, row split and layout), with bias and clamp:
 * {@code out = clamp(sum_taps X * W + bias[c], clampMin, clampMax)}.
 *
 * <p>Validated once, as the int8 twin: {@link #conv} checks its arguments with
 * {@link KernelArgs#checkFloatDepthwiseCall} and runs {@link #run}, which only asserts them.
 */
public interface FloatDepthwiseKernels {

    /**
     * Packs float32 depthwise weights once. The input array is not retained.
     *
     * @param w        weights {@code [C][KH][KW]} row-major (PyTorch's {@code [C, 1, KH, KW]})
     * @param channels {@code C}
     * @param kh       kernel height {@code KH}
     * @param kw       kernel width {@code KW}
     * @return the packed weights for this backend's {@link #conv}
     * @throws IllegalArgumentException for a null array, a non-positive size, or a length other
     *                                  than {@code C * KH * KW}
     */
    PackedFloatDepthwiseWeights pack(float[] w, int channels, int kh, int kw);

    /**
     * Computes output rows {@code [rowStart, rowEnd)} of a float32 depthwise convolution into
     * {@code out}; rows index {@code batch * outH}, so threads can split one call by rows.
     *
     * @param x        input {@code [batch][h][w][C]} NHWC
     * @param batch    number of images
     * @param h        input height
     * @param w        input width
     * @param weights  weights packed by this backend's {@link #pack}
     * @param g        kernel size (must match {@code weights}), stride, padding and dilation
     * @param bias     length {@code channels}, or null
     * @param clampMin lower clamp ({@code 0} for a fused ReLU, {@code -inf} for none)
     * @param clampMax upper clamp ({@code +inf} for none)
     * @param rowStart first output row (of {@code batch * outH}) to compute
     * @param rowEnd   end of the output rows, exclusive
     * @param out      output {@code [batch][outH][outW][C]} NHWC; only the given rows are written
     * @throws IllegalArgumentException for array lengths that do not fit the shape, a bias of the
     *                                  wrong length, a bad clamp range, weights packed by another
     *                                  engine or a bad row range
     */
    default void conv(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights, ConvGeometry g,
                      float[] bias, float clampMin, float clampMax, int rowStart, int rowEnd, float[] out) {
        KernelArgs.checkFloatDepthwiseCall(x, batch, h, w, weights, g, bias, clampMin, clampMax, rowStart, rowEnd,
                out == null ? -1 : out.length);
        run(x, batch, h, w, weights, g, bias, clampMin, clampMax, rowStart, rowEnd, out);
    }

    /**
     * The kernel behind {@link #conv}, for callers that validated the call once: the arguments
     * must pass {@link KernelArgs#checkFloatDepthwiseCall}; implementations assert that and throw
     * {@link IllegalArgumentException} only for weights packed by another engine.
     *
     * @param x        input {@code [batch][h][w][C]} NHWC
     * @param batch    number of images
     * @param h        input height
     * @param w        input width
     * @param weights  weights packed by this backend's {@link #pack}
     * @param g        kernel size (matching {@code weights}), stride, padding and dilation
     * @param bias     length {@code channels}, or null
     * @param clampMin lower clamp
     * @param clampMax upper clamp, {@code >= clampMin}
     * @param rowStart first output row (of {@code batch * outH}) to compute
     * @param rowEnd   end of the output rows, exclusive
     * @param out      output {@code [batch][outH][outW][C]} NHWC; only the given rows are written
     */
    void run(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights, ConvGeometry g, float[] bias,
             float clampMin, float clampMax, int rowStart, int rowEnd, float[] out);
}
