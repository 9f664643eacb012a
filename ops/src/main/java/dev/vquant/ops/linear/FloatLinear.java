package dev.vquant.ops.linear;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.OpBuilder;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
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

    private FloatLinear(Builder b) {
        FloatTensor weight = b.weight;
        if (weight == null || weight.rank() != 2 || weight.numel() == 0) {
            throw new IllegalArgumentException(NAME + ": expected a non-empty 2-D weight [out_features, in_features], got "
                    + (weight == null ? "null" : Arrays.toString(weight.shape())));
        }
        this.n = weight.dim(0);
        this.k = weight.dim(1);
        float[] bias = b.bias();
        if (bias != null && bias.length != n) {
            throw new IllegalArgumentException(NAME + ": expected a bias of " + n + " values, got " + bias.length);
        }
        this.weight = weight.data().clone();
        this.bias = bias == null ? null : bias.clone();
        this.relu = b.relu();
        this.threads = b.threads();
        this.packed = new PerEngine<>(b.engine(), e -> e.floatGemm().pack(this.weight, n, k));
    }

    /**
     * Starts building a Linear over {@code weight} ({@code [out_features, in_features]} float32,
     * copied), PyTorch's {@code nn.Linear}; no bias and no ReLU unless set.
     * <pre>FloatLinear fc = FloatLinear.builder(w).bias(b).relu(true).build();</pre>
     *
     * @param weight the weight
     * @return the builder
     */
    public static Builder builder(FloatTensor weight) {
        return new Builder(weight);
    }

    /** Options of a {@link FloatLinear}: bias, fused ReLU, threads and the engine to pack for. */
    public static final class Builder extends OpBuilder<Builder> {
        private final FloatTensor weight;

        private Builder(FloatTensor weight) {
            super(NAME);
            this.weight = weight;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * The Linear, packed for {@link #engine()} at build time.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a null, empty or non-2-D weight
         *                                  or a bias of the wrong length
         */
        public FloatLinear build() {
            return new FloatLinear(this);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return the input features {@code K} (PyTorch's {@code in_features})} */
    public int inFeatures() {
        return k;
    }

    /** {@return the output features {@code N} (PyTorch's {@code out_features})} */
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
        if (x.rank() < 1 || x.dim(x.rank() - 1) != k) { // the shape copied only to name it in the message
            int[] shape = x.shape();
            TensorChecks.minRank(NAME, shape, 1, "[*, in_features]");
            TensorChecks.lastDim(NAME, shape, k, "input features");
        }
        int m = x.numel() / k;
        float[] out = OutputArena.floats(TensorChecks.outputSize(NAME, m, n));
        gemm(engine, x.data(), m, out);
        return OutputTensors.floatsLastDim(out, x, n);
    }

    /**
     * {@code out[m][N] = x[m][K] W^T + bias}, for callers that manage their own arrays (LSTM).
     *
     * @param engine the kernel backend
     * @param x      the input rows, {@code m*K} floats, row-major
     * @param m      the row count, {@code >= 0}
     * @param out    receives the output rows, {@code m*N} floats, row-major
     * @throws IllegalArgumentException naming the operator for a null engine or array, a negative
     *                                  {@code m}, or arrays shorter than {@code m*K} and {@code m*N}
     */
    public void gemm(KernelBackend engine, float[] x, int m, float[] out) {
        TensorChecks.rowArrays(NAME, engine, x, m, k, out, n);
        PackedFloatWeights w = packed.get(engine);
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        int t = Threads.resolve(threads);
        if (GemmSplit.inline(m, n, k, t)) { // one block: no capturing lambda per call
            engine.floatGemm().gemm(x, 0, k, m, w, 0, n, bias, lo, Float.POSITIVE_INFINITY, out, 0, n);
        } else {
            GemmSplit.run(m, n, k, t, (rs, re, cs, ce) ->
                    engine.floatGemm().gemm(x, rs * k, k, re - rs, w, cs, ce, bias, lo, Float.POSITIVE_INFINITY, out, rs * n, n));
        }
    }
}
