package dev.vquant.engine.spi;

/**
 * Depthwise weights (channel multiplier 1) packed once: logically {@code W[c][kh][kw]} qint8
 * (PyTorch's {@code [C, 1, KH, KW]}) with one zero point per tensor or per channel.
 */
public interface PackedDepthwiseWeights extends PackedWeights {

    /**
     * Number of channels {@code C} (input and output: channel multiplier 1).
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

    /**
     * The weight zero point of channel {@code c} (the same for every channel when per tensor).
     *
     * @param c channel index in {@code [0, channels())}
     * @return the qint8 zero point, in {@code [-128, 127]}
     */
    int zeroPoint(int c);
}
