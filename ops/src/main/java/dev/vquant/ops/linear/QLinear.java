package dev.vquant.ops.linear;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.Int8Weights;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.PerEngine;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.RequantCache;
import dev.vquant.ops.core.StaticOpBuilder;
import dev.vquant.ops.core.StaticOutput;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Statically quantized Linear, PyTorch's {@code quantized::linear} / {@code linear_relu}:
 * quint8 input {@code [*, K]} (per tensor), qint8 weight {@code [N, K]} (per tensor or per output
 * channel, any zero points), float32 bias, quint8 output {@code [*, N]} with fixed scale and zero
 * point:
 * <pre>acc[i][j] = sum_k (x[i][k] - zx) * (w[j][k] - zw[j]);  y[i][j] = requant(acc[i][j], j)</pre>
 * where {@code requant} is the {@link dev.vquant.ops.core.RequantMode}'s arithmetic (by default the engine's:
 * golden/NUMERICS.md) and a fused ReLU clamps at the output zero point.
 *
 * <p>Weights are packed once for the engine current at build time and repacked (once, cached)
 * for any other engine the operator later runs on. Work is split over threads by
 * {@link GemmSplit}. Immutable and thread-safe.
 */
public final class QLinear implements QuantizedOperator {
    private static final String NAME = "Linear";

    private final Int8Weights weights;
    private final StaticOutput out;
    private final PerEngine<PackedQGemmWeights> packed;
    private final RequantCache<Requantization> requant = new RequantCache<>(this::buildRequant);

    private QLinear(Builder b) {
        this.weights = Int8Weights.of(NAME, b.weight);
        if (weights.shape().length != 2) {
            throw new IllegalArgumentException(NAME + ": expected a 2-D weight [out_features, in_features], got shape "
                    + java.util.Arrays.toString(weights.shape()));
        }
        int n = weights.rows();
        this.out = StaticOutput.of(NAME, b, n);
        KernelBackend engine = b.engine();
        this.packed = new PerEngine<>(engine, e -> e.qgemm().pack(weights.data(), n, weights.cols(), weights.zeroPoints()));
    }

    /**
     * Starts building a Linear over {@code weight} ({@code [N, K]} qint8, per tensor or per
     * channel along axis 0). Everything is validated by {@link Builder#build()}.
     *
     * @param weight the quantized weight, PyTorch's {@code [out_features, in_features]} layout
     * @return the builder
     */
    public static Builder builder(QTensor weight) {
        return new Builder(weight);
    }

    /** {@return the quint8 output qparams every call produces} */
    public QParams.PerTensor outputQParams() {
        return out.qparams();
    }

    /** {@return whether a ReLU is fused (the output is clamped at its zero point)} */
    public boolean fusedRelu() {
        return out.relu();
    }

    /** {@return how many engines the weights have been packed for so far (1 until the operator runs elsewhere)} */
    public int packedEngines() {
        return packed.packedCount();
    }

    @Override
    public String name() {
        return out.relu() ? "LinearReLU" : NAME;
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
     *                                  that is not a per-tensor quint8 tensor {@code [*, K]}, an
     *                                  output over {@code 2^31-1} elements, or an input scale that
     *                                  makes the requantization multiplier or scaled bias overflow
     */
    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor xq = TensorChecks.quint8PerTensor(name(), x);
        TensorChecks.engine(name(), engine);
        int k = weights.cols();
        int n = weights.rows();
        if (x.rank() < 1 || x.dim(x.rank() - 1) != k) { // the shape copied only to name it in the message
            int[] shape = x.shape();
            TensorChecks.minRank(name(), shape, 1, "[*, in_features]");
            TensorChecks.lastDim(name(), shape, k, "input features");
        }
        int m = x.numel() / k;
        byte[] y = OutputArena.bytes(TensorChecks.outputSize(name(), m, n));
        Requantization rq = requant.get(engine, xq.scale());
        PackedQGemmWeights w = packed.get(engine);
        byte[] a = x.bytes();
        int zx = xq.zeroPoint();
        int t = Threads.resolve(out.threads());
        if (GemmSplit.inline(m, n, k, t)) { // one block: no capturing lambda per call
            engine.qgemm().runRequantize(a, 0, k, m, zx, w, 0, n, rq, y, 0, n);
        } else {
            GemmSplit.run(m, n, k, t, (rs, re, cs, ce) ->
                    engine.qgemm().runRequantize(a, rs * k, k, re - rs, zx, w, cs, ce, rq, y, rs * n, n));
        }
        return OutputTensors.quantizedLastDim(y, out.qparams(), x, n);
    }

    private Requantization buildRequant(KernelBackend engine, double inScale) {
        return out.requantization(engine, inScale, weights.scales(), 0, weights.rows());
    }

    /** Options of a {@link QLinear}; output qparams are required. */
    public static final class Builder extends StaticOpBuilder<Builder> {
        private final QTensor weight;

        private Builder(QTensor weight) {
            super(NAME);
            this.weight = weight;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * The Linear.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a null, non-qint8, empty or
         *                                  non-2-D weight, per-channel weight qparams not along axis
         *                                  0, a bias of the wrong length or with NaN/infinity, missing
         *                                  or invalid output qparams
         */
        public QLinear build() {
            return new QLinear(this);
        }
    }
}
