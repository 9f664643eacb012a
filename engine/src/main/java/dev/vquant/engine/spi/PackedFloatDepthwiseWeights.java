package dev.vquant.engine.spi;

/** float32 depthwise weights {@code W[c][kh][kw]} packed once. */
public interface PackedFloatDepthwiseWeights extends PackedWeights {

    /**
     * Number of channels {@code C} (channel multiplier 1).
     *
     * @return {@code C}, at least 1
     */
    int channels();

    /**
     * Kernel height {@code KH} in taps.
     *
     * @return {@code KH}, at least 1
     */
    int kernelH();

    /**
     * Kernel width {@code KW} in taps.
     *
     * @return {@code KW}, at least 1
     */
    int kernelW();
}
