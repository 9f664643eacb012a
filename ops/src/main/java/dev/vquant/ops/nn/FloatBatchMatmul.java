package dev.vquant.ops.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

import java.util.Arrays;

/**
 * Batched matrix products in float32 on the engine's fast float GEMM, PyTorch's
 * {@code torch.matmul} for operands of equal batch dimensions (no broadcasting):
 * {@link #matmul} {@code [*, M, K] x [*, K, N] -> [*, M, N]} and {@link #matmulTransposedB}
 * {@code [*, M, K] x [*, N, K]^T -> [*, M, N]} (attention's {@code Q K^T} without a transpose).
 * The right operand is packed per call and per batch entry (activations, not weights); batch
 * entries run in parallel when there are enough of them, else each product is split as
 * {@link dev.vquant.ops.linear.FloatLinear}'s. Summation order is the GEMM kernel's, so results
 * match a float64 product within float rounding. Immutable and thread-safe.
 */
public final class FloatBatchMatmul {
    private static final String NAME = "FloatBatchMatmul";
    private final int threads;

    /**
     * A batched matrix product ({@code torch.matmul} on tensors of rank 2 and more).
     *
     * @param threads threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a negative thread count
     */
    public FloatBatchMatmul(int threads) {
        this.threads = TensorChecks.threads(NAME, threads);
    }

    /**
     * {@code a @ b}: {@code [*, M, K] x [*, K, N] -> [*, M, N]}.
     *
     * @param a      the left operand, {@code [*, M, K]}
     * @param b      the right operand, {@code [*, K, N]}
     * @param engine the kernel backend
     * @return a new {@code [*, M, N]} tensor
     * @throws IllegalArgumentException for a null operand or engine, a rank below 2, batch
     *                                  dimensions that differ, or inner dimensions that differ
     */
    public FloatTensor matmul(FloatTensor a, FloatTensor b, KernelBackend engine) {
        return run(a, b, false, engine);
    }

    /**
     * {@code a @ b.transpose(-1, -2)}: {@code [*, M, K] x [*, N, K] -> [*, M, N]}.
     *
     * @param a      the left operand, {@code [*, M, K]}
     * @param b      the right operand, {@code [*, N, K]}
     * @param engine the kernel backend
     * @return a new {@code [*, M, N]} tensor
     * @throws IllegalArgumentException as {@link #matmul}
     */
    public FloatTensor matmulTransposedB(FloatTensor a, FloatTensor b, KernelBackend engine) {
        return run(a, b, true, engine);
    }

    private FloatTensor run(FloatTensor a, FloatTensor b, boolean transposedB, KernelBackend engine) {
        TensorChecks.notNull(NAME, "left operand", a);
        TensorChecks.notNull(NAME, "right operand", b);
        TensorChecks.engine(NAME, engine);
        if (a.rank() < 2 || b.rank() < 2) {
            TensorChecks.minRank(NAME, a.shape(), 2, "[*, M, K] left");
            TensorChecks.minRank(NAME, b.shape(), 2, transposedB ? "[*, N, K] right" : "[*, K, N] right");
        }
        // dims read in place (shapes copied only for messages): a call in a reused arena scope allocates nothing
        int ra = a.rank();
        int rb = b.rank();
        if (ra != rb || !sameBatchDims(a, b)) {
            throw new IllegalArgumentException(NAME + ": batch dimensions must be equal (no broadcasting), got shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        int m = a.dim(ra - 2);
        int k = a.dim(ra - 1);
        int kb = transposedB ? b.dim(rb - 1) : b.dim(rb - 2);
        int n = transposedB ? b.dim(rb - 2) : b.dim(rb - 1);
        if (k != kb) {
            throw new IllegalArgumentException(NAME + ": inner dimensions differ: " + Arrays.toString(a.shape()) + (transposedB
                    ? " x " + Arrays.toString(b.shape()) + "^T" : " x " + Arrays.toString(b.shape())) + " (" + k + " vs " + kb + ")");
        }
        int batches = 1;
        for (int i = 0; i < ra - 2; i++) {
            batches *= a.dim(i);
        }
        float[] out;
        if (batches > 0 && m > 0 && n > 0 && (long) batches * m * n <= Integer.MAX_VALUE) {
            out = OutputArena.floats(batches * m * n);
        } else {
            int[] outShape = a.shape();
            outShape[ra - 1] = n;
            out = OutputArena.floats(TensorChecks.outputSize(NAME, outShape));
        }
        if (out.length == 0 || k == 0) {
            return OutputTensors.floatsLastDim(out, a, n); // an empty product, or sums of nothing: zeros
        }
        float[] x = a.data();
        float[] y = b.data();
        FloatGemmKernels gemm = engine.floatGemm();
        int t = Threads.resolve(threads);
        int count = batches;
        if (count >= t && !Parallel.inline(count, t, 1)) {
            Parallel.forRange(count, t, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    PackedFloatWeights w = gemm.pack(rightAsRows(y, i, k, n, transposedB, new float[n * k]), n, k);
                    gemm.gemm(x, i * m * k, k, m, w, 0, n, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, out, i * m * n, n);
                }
            });
        } else {
            for (int i = 0; i < count; i++) {
                int xo = i * m * k;
                int oo = i * m * n;
                // in the calling thread: the copy is an arena array and the panels are repacked into the
                // previous scope's (same geometry), so a call in a reused scope allocates no packing
                PackedFloatWeights w = gemm.packInto(rightAsRows(y, i, k, n, transposedB, OutputArena.floats(n * k)), n, k,
                        OutputArena.recall(PackedFloatWeights.class));
                OutputArena.keep(w);
                if (GemmSplit.inline(m, n, k, t)) { // one block: no capturing lambda per call
                    gemm.gemm(x, xo, k, m, w, 0, n, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, out, oo, n);
                } else {
                    GemmSplit.run(m, n, k, t, (rs, re, cs, ce) -> gemm.gemm(x, xo + rs * k, k, re - rs, w, cs, ce, null,
                            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, out, oo + rs * n, n));
                }
            }
        }
        return OutputTensors.floatsLastDim(out, a, n);
    }

    private static boolean sameBatchDims(FloatTensor a, FloatTensor b) {
        for (int i = 0; i < a.rank() - 2; i++) {
            if (a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    /** Batch entry {@code i} of the right operand as the GEMM's {@code W[n][k]}: copied, transposed when given as {@code [K, N]}. */
    private static float[] rightAsRows(float[] y, int i, int k, int n, boolean transposedB, float[] w) {
        int base = i * k * n;
        if (transposedB) {
            System.arraycopy(y, base, w, 0, n * k);
            return w;
        }
        for (int kk = 0; kk < k; kk++) {
            for (int j = 0; j < n; j++) {
                w[j * k + kk] = y[base + kk * n + j];
            }
        }
        return w;
    }
}
