package dev.vquant.engine.reference;

import dev.vquant.engine.spi.PackedQGemmWeights;

/**
 * The reference layout of int8 GEMM weights: a plain row-major copy {@code w} of {@code W[n][k]},
 * one zero point per output channel (a per-tensor zero point repeated), and the per-row sums
 * {@code rowSums[j] = sum_k W[j][k]} ({@code |sum| <= 128 * k}) that the zero-point correction needs.
 * Immutable by contract: the arrays are owned by this object and never written after packing.
 */
record ReferenceQGemmWeights(byte[] w, int n, int k, int[] zeroPoints, int[] rowSums)
        implements PackedQGemmWeights, ReferenceLayout {

    @Override
    public int zeroPoint(int j) {
        return zeroPoints[j];
    }

    /** Weight {@code W[j][kk]} as a signed value. */
    int weight(int j, int kk) {
        return w[j * k + kk];
    }

    @Override
    public long byteSize() {
        return w.length + 4L * zeroPoints.length + 4L * rowSums.length;
    }
}
