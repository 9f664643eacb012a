package dev.vquant.quant.autograd;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.linear.FloatLinear;

/**
 * The matrix products of the backward passes on the engine's float GEMM (the kernel and thread
 * split the forward's {@link FloatLinear} runs on), so gradients cost what forwards cost.
 */
final class Gemm {
    private Gemm() {
    }

    /** {@code c[m][n] = a[m][k] * b[n][k]^T} (c overwritten). */
    static void abT(float[] a, int m, int k, float[] b, int n, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            java.util.Arrays.fill(c, 0, m * n, 0f);
            return;
        }
        rightFactor(b, n, k).gemm(QuantEngine.current(), a, m, c);
    }

    /**
     * {@code b[n][k]} packed once as the right factor of {@code a * b^T} for several left factors:
     * {@code product.gemm(QuantEngine.current(), a, m, c)}.
     */
    static FloatLinear rightFactor(float[] b, int n, int k) {
        return FloatLinear.builder(FloatTensor.of(b, n, k)).build();
    }

    /** {@code a[rows][cols]} transposed to {@code [cols][rows]}, in cache-friendly tiles. */
    static float[] transpose(float[] a, int rows, int cols) {
        return transpose(a, 0, cols, rows, cols);
    }

    /**
     * Columns {@code [0, cols)} of the {@code rows}-row matrix at {@code a[offset]} with row stride
     * {@code lda}, transposed to a dense {@code [cols][rows]}.
     */
    static float[] transpose(float[] a, int offset, int lda, int rows, int cols) {
        float[] t = new float[rows * cols];
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    int src = offset + r * lda;
                    for (int c = c0; c < c1; c++) {
                        t[c * rows + r] = a[src + c];
                    }
                }
            }
        }
        return t;
    }

    /** The sums of the columns of {@code a[rows][cols]}, added into {@code out}. */
    static void addColumnSums(float[] a, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c] += a[base + c];
            }
        }
    }
}
