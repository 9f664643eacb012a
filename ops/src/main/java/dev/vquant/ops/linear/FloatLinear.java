package dev.vquant.ops.linear;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.PerEngine;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

import java.util.Arrays;

/**
 * float32 Linear, the twin of {@link QLinear} on the engine's fast float GEMM:
 * {@code y[i][j] = sum_k x[i][k] * w[j][k] + bias[j]} (then ReLU when fused), input {@code [*, K]},
 * weight {@code [N, K]}, output {@code [*, N]}. Same packing cache and thread split as the int8
 * operator. Immutable and thread-safe.
 */
public final class FloatLinear implements FloatOperator {
    private static final String NAME = "FloatLinear";

    private final float[] weight;
    private final int n;
    private final int k;
    private final float[] bias;
    private final boolean relu;
    private final int threads;
    private final PerEngine<PackedFloatWeights> packed;

    /**
     * @param weight  {@code [N, K]} float32 (copied)
     * @param bias    length N, or null (copied)
     * @param relu    fuse a ReLU
     * @param threads threads for this operator, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException naming the operator for a null, empty or non-2-D weight, a
     *                                  bias of the wrong length, or a negative thread count
     */
    public FloatLinear(FloatTensor weight, float[] bias, boolean relu, int threads) {
        this(weight, bias, relu, threads, QuantEngine.current());
    }

    /** As above, packing for {@code engine} at build time (a null engine is rejected). */
    public FloatLinear(FloatTensor weight, float[] bias, boolean relu, int threads, KernelBackend engine) {
        if (weight == null || weight.rank() != 2 || weight.numel() == 0) {
            throw new IllegalArgumentException(NAME + ": expected a non-empty 2-D weight [out_features, in_features], got "
                    + (weight == null ? "null" : Arrays.toString(weight.shape())));
        }
        this.n = weight.dim(0);
        this.k = weight.dim(1);
        if (bias != null && bias.length != n) {
            throw new IllegalArgumentException(NAME + ": expected a bias of " + n + " values, got " + bias.length);
        }
        TensorChecks.threads(NAME, threads);
        TensorChecks.engine(NAME, engine);
        this.weight = weight.data().clone();
        this.bias = bias == null ? null : bias.clone();
        this.relu = relu;
        this.threads = threads;
        this.packed = new PerEngine<>(engine, e -> e.floatGemm().pack(this.weight, n, k));
    }

    @Override
    public String name() {
        return NAME;
    }

    public int inFeatures() {
        return k;
    }

    public int outFeatures() {
        return n;
    }

    /**
     * {@inheritDoc} NaN and infinities propagate as in PyTorch.
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not {@code [*, K]}, or an output over {@code 2^31-1}
     *                                  elements
     */
    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        int[] shape = x.shape();
        TensorChecks.minRank(NAME, shape, 1, "[*, in_features]");
        TensorChecks.lastDim(NAME, shape, k, "input features");
        int m = x.numel() / k;
        float[] out = new float[TensorChecks.outputSize(NAME, m, n)];
        gemm(engine, x.data(), m, out);
        shape[shape.length - 1] = n;
        return FloatTensor.of(out, shape);
    }

    /**
     * {@code out[m][N] = x[m][K] W^T + bias}, for callers that manage their own arrays (LSTM).
     *
     * @throws IllegalArgumentException naming the operator for a null engine or array, a negative
     *                                  {@code m}, or arrays shorter than {@code m*K} and {@code m*N}
     */
    public void gemm(KernelBackend engine, float[] x, int m, float[] out) {
        TensorChecks.rowArrays(NAME, engine, x, m, k, out, n);
        PackedFloatWeights w = packed.get(engine);
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        GemmSplit.run(m, n, k, Threads.resolve(threads), (rs, re, cs, ce) ->
                engine.floatGemm().gemm(x, rs * k, k, re - rs, w, cs, ce, bias, lo, Float.POSITIVE_INFINITY, out, rs * n, n));
    }
}
