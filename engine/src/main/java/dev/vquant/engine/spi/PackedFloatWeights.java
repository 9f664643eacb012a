package dev.vquant.engine.spi;

/** A float32 weight matrix {@code W[n][k]} packed once for one backend's float GEMM. */
public interface PackedFloatWeights extends PackedWeights {

    int n();

    int k();
}
