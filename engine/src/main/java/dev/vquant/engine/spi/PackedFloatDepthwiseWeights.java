package dev.vquant.engine.spi;

/** float32 depthwise weights {@code W[c][kh][kw]} packed once. */
public interface PackedFloatDepthwiseWeights extends PackedWeights {

    int channels();

    int kernelH();

    int kernelW();
}
