package dev.vquant.engine.reference;

import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedFloatWeights;

import java.util.Arrays;

/**
 * Scalar float32 GEMM: {@code C[i][j] = clamp(sum_k A[i][k] * W[j][k] + bias[j], lo, hi)}, summed
 * in float32 in increasing {@code k} with separate multiply and add, then the bias added, then
 * the clamp. Optimized kernels sum in their own order, so they match within float rounding (the
 * testers' tolerance), not bit for bit. Thread-safe.
 */
public final class FloatGemmReference implements FloatGemmKernels {

    /** Creates the scalar float GEMM; stateless, so one instance (each {@link ReferenceBackend} makes one) serves all threads. */
    public FloatGemmReference() {
    }

    @Override
    public PackedFloatWeights pack(float[] w, int n, int k) {
        KernelArgs.checkPositive("n (output channels)", n);
        KernelArgs.checkPositive("k (reduction length)", k);
        KernelArgs.checkMatrix("weights", ReferenceArgs.length(w, "weight"), 0, n, k, k);
        return new ReferenceFloatWeights(Arrays.copyOf(w, ReferenceArgs.product("weights " + n + "x" + k, n, k)), n, k);
    }

    @Override
    public void gemm(float[] a, int aOffset, int lda, int m, PackedFloatWeights w, int nStart, int nEnd, float[] bias,
                     float clampMin, float clampMax, float[] c, int cOffset, int ldc) {
        ReferenceFloatWeights pw = ReferenceArgs.packed(w, ReferenceFloatWeights.class);
        KernelArgs.checkColumns(nStart, nEnd, pw.n());
        KernelArgs.checkMatrix("activations A", ReferenceArgs.length(a, "activation"), aOffset, m, pw.k(), lda);
        KernelArgs.checkMatrix("output C", ReferenceArgs.length(c, "output"), cOffset, m, nEnd, ldc);
        FloatClamp.checkBias(bias, pw.n());
        FloatClamp.check(clampMin, clampMax);
        for (int i = 0; i < m; i++) {
            int row = aOffset + i * lda;
            for (int j = nStart; j < nEnd; j++) {
                float sum = 0f;
                for (int kk = 0; kk < pw.k(); kk++) {
                    sum += a[row + kk] * pw.weight(j, kk);
                }
                if (bias != null) {
                    sum += bias[j];
                }
                c[cOffset + i * ldc + j] = FloatClamp.apply(sum, clampMin, clampMax);
            }
        }
    }
}
