package dev.vquant.engine.spi;

/**
 * An int8 weight matrix packed once for one backend's GEMM kernels. Logically {@code W[n][k]}
 * (PyTorch's Linear layout: out_features x in_features), qint8 with one zero point per tensor or
 * per output channel, with whatever sums over K the kernels need for the zero-point corrections.
 */
public interface PackedQGemmWeights extends PackedWeights {

    /** Output channels (rows of W, columns of the GEMM result). */
    int n();

    /** Reduction length (columns of W). */
    int k();

    /** The weight zero point of output channel {@code j}. */
    int zeroPoint(int j);
}
