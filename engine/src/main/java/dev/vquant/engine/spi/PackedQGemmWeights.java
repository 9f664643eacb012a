package dev.vquant.engine.spi;

/**
 * An int8 weight matrix packed once for one backend's GEMM kernels. Logically {@code W[n][k]}
 * (PyTorch's Linear layout: out_features x in_features), qint8 with one zero point per tensor or
 * per output channel, with whatever sums over K the kernels need for the zero-point corrections.
 */
public interface PackedQGemmWeights extends PackedWeights {

    /** {@return the output channel count {@code n} (rows of W, columns of the GEMM result)} */
    int n();

    /** {@return the reduction length {@code k} (columns of W)} */
    int k();

    /**
     * The weight zero point of output channel {@code j}.
     *
     * @param j output channel, in {@code [0, n())}
     * @return the qint8 zero point, in {@code [-128, 127]}
     */
    int zeroPoint(int j);
}
