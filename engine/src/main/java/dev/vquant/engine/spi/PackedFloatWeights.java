package dev.vquant.engine.spi;

/** A float32 weight matrix {@code W[n][k]} packed once for one backend's float GEMM. */
public interface PackedFloatWeights extends PackedWeights {

    /**
     * Number of output columns {@code n} (rows of {@code W}).
     *
     * @return {@code n}, at least 1
     */
    int n();

    /**
     * Reduction length {@code k} (columns of {@code W}).
     *
     * @return {@code k}, at least 1
     */
    int k();
}
