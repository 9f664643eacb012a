package dev.vquant.ops.nn;

import dev.vquant.ops.math.ScalarMath;

/**
 * The scalar twins of {@link RowKernels}: the same float32 operations in the same order for a
 * vector of {@code lanes} lanes (per-lane partial sums over the full vectors, lanes added in order,
 * then the tail), so results are equal bit for bit. The oracle of the row kernels' properties.
 */
final class RowKernelsReference {
    private RowKernelsReference() {
    }

    private static float[] partialSums(float[] terms, int n, int lanes) {
        float[] p = new float[lanes];
        int bound = n - n % lanes;
        for (int i = 0; i < bound; i++) {
            p[i % lanes] += terms[i];
        }
        return p;
    }

    /** sum of {@code terms[0 .. n)} in {@link RowKernels}' order. */
    private static float orderedSum(float[] terms, int n, int lanes) {
        float s = 0f;
        for (float v : partialSums(terms, n, lanes)) {
            s += v;
        }
        for (int i = n - n % lanes; i < n; i++) {
            s += terms[i];
        }
        return s;
    }

    static void softmax(float[] x, int off, float[] out, int o, int n, int lanes) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        float[] e = new float[n];
        for (int i = 0; i < n; i++) {
            e[i] = ScalarMath.exp(x[off + i] - max);
        }
        float inv = 1f / orderedSum(e, n, lanes);
        for (int i = 0; i < n; i++) {
            out[o + i] = e[i] * inv;
        }
    }

    static void layerNorm(float[] x, int off, float[] out, int o, int n, float eps, float[] gamma, float[] beta, int lanes) {
        float[] row = new float[n];
        System.arraycopy(x, off, row, 0, n);
        float mean = orderedSum(row, n, lanes) / n;
        float[] p = new float[lanes];
        int bound = n - n % lanes;
        for (int i = 0; i < bound; i++) {
            float d = row[i] - mean;
            p[i % lanes] = Math.fma(d, d, p[i % lanes]);
        }
        float sq = 0f;
        for (float v : p) {
            sq += v;
        }
        for (int i = bound; i < n; i++) {
            float d = row[i] - mean;
            sq = Math.fma(d, d, sq);
        }
        float rstd = 1f / (float) Math.sqrt(sq / n + eps);
        float shift = -rstd * mean;
        for (int i = 0; i < n; i++) {
            float t = Math.fma(row[i], rstd, shift);
            out[o + i] = gamma == null ? t : Math.fma(t, gamma[i], beta[i]);
        }
    }
}
