package dev.vquant.ops.linear;

import dev.vquant.engine.DynamicQParams;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.ops.core.DynamicActivation;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.Int8Weights;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.PerEngine;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Dynamically quantized Linear, PyTorch's {@code quantized::linear_dynamic}
 * ({@code torch.ao.nn.quantized.dynamic.Linear}): float32 input {@code [*, K]} quantized on every
 * call to quint8 from the batch's min/max ({@link DynamicActivation}), qint8 weight {@code [N, K]}
 * (per tensor or per channel), float32 bias, float32 output {@code [*, N]}:
 * <pre>y[i][j] = out(acc[i][j], j),  acc = sum_k (xq[i][k] - zx) * (w[j][k] - zw[j])</pre>
 * with {@link FloatOutput}'s rule per engine: fbgemm and reference fuse
 * {@code fma(acc, sx*sw[j], bias[j])} and honour reduce_range (activations 0..127); qnnpack
 * multiplies then adds and ignores reduce_range (0..255), as PyTorch's engines do.
 *
 * <p>Immutable and thread-safe; weights packed per engine and cached.
 */
public final class DynamicQLinear implements FloatOperator {
    private static final String NAME = "DynamicLinear";

    private final Int8Weights weights;
    /** Weight scales as float32 and the bias, converted once: a call only multiplies in its activation scale. */
    private final FloatOutput.Channels channels;
    private final boolean reduceRange;
    private final boolean relu;
    private final int threads;
    private final PerEngine<PackedQGemmWeights> packed;

    private DynamicQLinear(Builder b) {
        this.weights = Int8Weights.of(NAME, b.weight);
        if (weights.shape().length != 2) {
            throw new IllegalArgumentException(NAME + ": expected a 2-D weight [out_features, in_features], got shape "
                    + java.util.Arrays.toString(weights.shape()));
        }
        if (b.bias() != null && b.bias().length != weights.rows()) {
            throw new IllegalArgumentException(NAME + ": expected a bias of " + weights.rows() + " values, got " + b.bias().length);
        }
        TensorChecks.finiteBias(NAME, b.bias());
        this.channels = FloatOutput.Channels.of(weights.scales(), b.bias(), weights.rows());
        this.reduceRange = b.reduceRange;
        this.relu = b.relu();
        this.threads = b.threads();
        this.packed = new PerEngine<>(b.engine(), e -> e.qgemm().pack(weights.data(), weights.rows(), weights.cols(),
                weights.zeroPoints()));
    }

    /**
     * Starts building a dynamic Linear over {@code weight} ({@code [N, K]} qint8, per tensor or
     * per channel along axis 0). Everything is validated by {@link Builder#build()}.
     *
     * @param weight the quantized weight, PyTorch's {@code [out_features, in_features]} layout
     * @return the builder
     */
    public static Builder builder(QTensor weight) {
        return new Builder(weight);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return the input features {@code K} (PyTorch's {@code in_features})} */
    public int inFeatures() {
        return weights.cols();
    }

    /** {@return the output features {@code N} (PyTorch's {@code out_features})} */
    public int outFeatures() {
        return weights.rows();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not {@code [*, K]}, NaN or infinite input values, or
     *                                  an output over {@code 2^31-1} elements
     */
    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        if (x.rank() < 1 || x.dim(x.rank() - 1) != weights.cols()) { // the shape copied only to name it in the message
            int[] shape = x.shape();
            TensorChecks.minRank(NAME, shape, 1, "[*, in_features]");
            TensorChecks.lastDim(NAME, shape, weights.cols(), "input features");
        }
        int m = x.numel() / weights.cols();
        float[] out = OutputArena.floats(TensorChecks.outputSize(NAME, m, weights.rows()));
        forward(engine, x.data(), m, out);
        return OutputTensors.floatsLastDim(out, x, weights.rows());
    }

    /**
     * {@code out[m][N] = linear_dynamic(x[m][K])}, one quantization over all {@code m} rows, for
     * callers that manage their own arrays (LSTM).
     *
     * @param engine the kernel backend
     * @param x      the input rows, {@code m*K} floats, row-major
     * @param m      the row count, {@code >= 0}
     * @param out    receives the output rows, {@code m*N} floats, row-major
     * @throws IllegalArgumentException naming the operator for a null engine or array, a negative
     *                                  {@code m}, arrays shorter than {@code m*K} and {@code m*N}, or
     *                                  NaN or infinite input values
     */
    public void forward(KernelBackend engine, float[] x, int m, float[] out) {
        int k = weights.cols();
        int n = weights.rows();
        TensorChecks.rowArrays(NAME, engine, x, m, k, out, n);
        int len = m * k;
        int nThreads = Threads.resolve(threads);
        // packed qparams and the previous scope's output stage: a call in a reused arena scope allocates nothing
        long p = DynamicActivation.chooseBits(NAME, x, 0, len, reduceRange && engine.numerics().honoursReduceRange());
        float scale = DynamicQParams.scaleOf(p);
        int zx = DynamicQParams.zeroPointOf(p);
        byte[] q = OutputArena.bytes(len);
        DynamicActivation.quantize(engine, x, len, scale, zx, q, nThreads);
        FloatOutput fo = OutputArena.keep(channels.forInput(scale, engine.numerics().fusedFloatOutput(), relu, OutputArena.floats(n),
                OutputArena.recall(FloatOutput.class)));
        PackedQGemmWeights w = packed.get(engine);
        if (GemmSplit.inline(m, n, k, nThreads)) { // one block: no capturing lambda per call
            engine.qgemm().runFloat(q, 0, k, m, zx, w, 0, n, fo, out, 0, n);
        } else {
            GemmSplit.run(m, n, k, nThreads, (rs, re, cs, ce) ->
                    engine.qgemm().runFloat(q, rs * k, k, re - rs, zx, w, cs, ce, fo, out, rs * n, n));
        }
    }

    /** Options of a {@link DynamicQLinear}. */
    public static final class Builder extends dev.vquant.ops.core.OpBuilder<Builder> {
        private final QTensor weight;
        private boolean reduceRange = true;

        private Builder(QTensor weight) {
            super(NAME);
            this.weight = weight;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Quantize activations to 0..127 on engines that honour it (default true, as
         * {@code torch.ao.nn.quantized.dynamic.Linear} passes for fbgemm).
         *
         * @param reduceRange whether to use 7-bit activations
         * @return this builder
         */
        public Builder reduceRange(boolean reduceRange) {
            this.reduceRange = reduceRange;
            return this;
        }

        /**
         * The dynamic Linear.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a null, non-qint8, empty or
         *                                  non-2-D weight, per-channel weight qparams not along axis
         *                                  0, or a bias of the wrong length or with NaN/infinity
         */
        public DynamicQLinear build() {
            return new DynamicQLinear(this);
        }
    }
}
