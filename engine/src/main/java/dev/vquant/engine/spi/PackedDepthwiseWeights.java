package dev.vquant.engine.spi;

/**
 * Depthwise weights (channel multiplier 1) packed once: logically {@code W[c][kh][kw]} qint8
 * (PyTorch's {@code [C, 1, KH, KW]}) with one zero point per tensor or per channel.
 */
public interface PackedDepthwiseWeights extends PackedWeights {

    int channels();

    int kernelH();

    int kernelW();

    int zeroPoint(int c);
}
