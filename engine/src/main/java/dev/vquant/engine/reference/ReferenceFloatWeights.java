package dev.vquant.engine.reference;

import dev.vquant.engine.spi.PackedFloatWeights;

/** The reference layout of float32 GEMM weights: a plain row-major copy {@code w} of {@code W[n][k]}. */
record ReferenceFloatWeights(float[] w, int n, int k) implements PackedFloatWeights, ReferenceLayout {

    /** {@code W[j][kk]}. */
    float weight(int j, int kk) {
        return w[j * k + kk];
    }

    @Override
    public long byteSize() {
        return 4L * w.length;
    }
}
