package dev.vquant.engine.spi;

/**
 * float32 depthwise 2-D convolution, NHWC, channel multiplier 1, the twin of
 * {@link DepthwiseKernels} (same geometry, row split and layout), with bias and clamp:
 * {@code out = clamp(sum_taps X * W + bias[c], clampMin, clampMax)}.
 */
public interface FloatDepthwiseKernels {

    PackedFloatDepthwiseWeights pack(float[] w, int channels, int kh, int kw);

    /** @param bias length {@code channels}, or null */
    void conv(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights, ConvGeometry g, float[] bias,
              float clampMin, float clampMax, int rowStart, int rowEnd, float[] out);
}
