package dev.vquant.quant.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.rnn.Lstm;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.GradTape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A unidirectional multi-layer LSTM, PyTorch's {@code nn.LSTM(input_size, hidden_size,
 * num_layers=1, bias=True, batch_first=False)}: per layer {@code k} the parameters
 * {@code weight_ih_l{k} [4*hidden, in]}, {@code weight_hh_l{k} [4*hidden, hidden]} and, with bias,
 * {@code bias_ih_l{k}}, {@code bias_hh_l{k}} {@code [4*hidden]}, gates in PyTorch's order (i, f,
 * g, o), all initialized {@code U(-1/sqrt(hidden), 1/sqrt(hidden))}. Runs on ops'
 * {@link Lstm#floating float LSTM} (projections on the engine's float GEMM), built once and rebuilt
 * only when a parameter changes. Input {@code [T, B, input_size]} ({@code [B, T, input_size]} when
 * batch_first); {@link #forward} returns the output sequence, {@link #forwardWithState} also the
 * final states.
 */
public final class LSTM extends Module {
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final List<Parameter> weightIh = new ArrayList<>();
    private final List<Parameter> weightHh = new ArrayList<>();
    private final List<Parameter> biasIh = new ArrayList<>();
    private final List<Parameter> biasHh = new ArrayList<>();
    private volatile OperatorCache<Lstm> cache;

    /**
     * The output sequence and the final hidden and cell states {@code [num_layers, B, hidden]}.
     *
     * @param output the last layer's outputs {@code [T, B, hidden]} ({@code [B, T, hidden]} when batch-first)
     * @param h      the final hidden states {@code [num_layers, B, hidden]}
     * @param c      the final cell states {@code [num_layers, B, hidden]}
     */
    public record Output(Tensor output, Tensor h, Tensor c) {
    }

    /**
     * An {@link Output} of these tensors: inside an {@link dev.vquant.ops.core.OutputArena} scope,
     * the previous scope's (immutable, equal) one when it holds the very same tensors, so a
     * forward in a reused scope allocates no result object.
     *
     * @param output the output sequence
     * @param h      the final hidden states
     * @param c      the final cell states
     * @return the output record
     */
    public static Output output(Tensor output, Tensor h, Tensor c) {
        Output kept = dev.vquant.ops.core.OutputArena.recall(Output.class);
        if (kept != null && kept.output() == output && kept.h() == h && kept.c() == c) {
            return kept;
        }
        return dev.vquant.ops.core.OutputArena.keep(new Output(output, h, c));
    }

    /**
     * One layer, with bias, sequence-first, seeded from {@link Init#nextSeed()}.
     *
     * @param inputSize  the features of each input step ({@code input_size})
     * @param hiddenSize the features of the hidden state ({@code hidden_size})
     * @throws IllegalArgumentException when a size is not positive
     */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, Init.nextSeed());
    }

    /**
     * PyTorch's {@code nn.LSTM(input_size, hidden_size, num_layers, bias, batch_first)}.
     *
     * @param inputSize  the features of each input step ({@code input_size})
     * @param hiddenSize the features of the hidden state ({@code hidden_size})
     * @param numLayers  the number of stacked layers ({@code num_layers})
     * @param bias       whether the layers have biases
     * @param batchFirst inputs and outputs {@code [B, T, F]} rather than {@code [T, B, F]}
     * @param seed seed of the initial parameters
     * @throws IllegalArgumentException when a size or the layer count is not positive
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, long seed) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException("LSTM: input_size, hidden_size and num_layers must be > 0, got " + inputSize + ", "
                    + hiddenSize + ", " + numLayers);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(hiddenSize);
        for (int k = 0; k < numLayers; k++) {
            int in = k == 0 ? inputSize : hiddenSize;
            weightIh.add(uniform(registerParameter("weight_ih_l" + k, Parameter.zeros(4 * hiddenSize, in)), bound, random));
            weightHh.add(uniform(registerParameter("weight_hh_l" + k, Parameter.zeros(4 * hiddenSize, hiddenSize)), bound, random));
            biasIh.add(uniform(registerParameter("bias_ih_l" + k, bias ? Parameter.zeros(4 * hiddenSize) : null), bound, random));
            biasHh.add(uniform(registerParameter("bias_hh_l" + k, bias ? Parameter.zeros(4 * hiddenSize) : null), bound, random));
        }
    }

    private static Parameter uniform(Parameter p, double bound, SplittableRandom random) {
        if (p != null) {
            Init.uniform(p.data(), bound, random);
        }
        return p;
    }

    /** {@return {@code input_size}} */
    public int inputSize() {
        return inputSize;
    }

    /** {@return {@code hidden_size}} */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** {@return {@code num_layers}} */
    public int numLayers() {
        return numLayers;
    }

    /** {@return whether the layers have biases} */
    public boolean hasBias() {
        return bias;
    }

    /** {@return whether inputs and outputs are {@code [B, T, F]}} */
    public boolean batchFirst() {
        return batchFirst;
    }

    /**
     * {@code weight_ih_l{layer}}.
     *
     * @param layer the layer, from 0
     * @return its input-hidden weights {@code [4 * hidden, in]} (gates i, f, g, o)
     */
    public Parameter weightIh(int layer) {
        return weightIh.get(layer);
    }

    /**
     * {@code weight_hh_l{layer}}.
     *
     * @param layer the layer, from 0
     * @return its hidden-hidden weights {@code [4 * hidden, hidden]}
     */
    public Parameter weightHh(int layer) {
        return weightHh.get(layer);
    }

    /**
     * {@code bias_ih_l{layer}}, or null without bias.
     *
     * @param layer the layer, from 0
     * @return its input-hidden bias {@code [4 * hidden]}, or null
     */
    public Parameter biasIh(int layer) {
        return biasIh.get(layer);
    }

    /**
     * {@code bias_hh_l{layer}}, or null without bias.
     *
     * @param layer the layer, from 0
     * @return its hidden-hidden bias {@code [4 * hidden]}, or null
     */
    public Parameter biasHh(int layer) {
        return biasHh.get(layer);
    }

    /** The output sequence, from zero initial states. */
    @Override
    public Tensor forward(Tensor x) {
        return forwardWithState(x, null, null).output();
    }

    /**
     * Runs from the given initial states ({@code [num_layers, B, hidden]}, null for zeros).
     *
     * @param x  float input {@code [T, B, in]} ({@code [B, T, in]} when batch-first)
     * @param h0 the initial hidden states {@code [num_layers, B, hidden]}, or null for zeros
     * @param c0 the initial cell states {@code [num_layers, B, hidden]}, or null for zeros
     * @return the outputs of the last layer and the final states
     * @throws IllegalArgumentException      for a wrong input or state shape, or a quantized input
     * @throws UnsupportedOperationException under an open {@link GradTape} (no backward yet)
     */
    public Output forwardWithState(Tensor x, Tensor h0, Tensor c0) {
        if (GradTape.recording() != null) {
            throw new UnsupportedOperationException(this + " has no backward in vquant's autograd: its parameters and inputs would "
                    + "get no gradient; run it outside the GradTape");
        }
        FloatTensor in = x.contiguousFloat(this);
        FloatTensor h = h0 == null ? null : h0.contiguousFloat(this + " (h0)");
        FloatTensor c = c0 == null ? null : c0.contiguousFloat(this + " (c0)");
        List<Parameter> all = new ArrayList<>();
        for (int k = 0; k < numLayers; k++) {
            all.addAll(Arrays.asList(weightIh.get(k), weightHh.get(k), biasIh.get(k), biasHh.get(k)));
        }
        cache = OperatorCache.refresh(cache, this::newOperator, all.toArray(new Parameter[0]));
        Lstm.Result r;
        try {
            r = cache.operator().forward(in, h, c, dev.vquant.engine.QuantEngine.current());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
        return output(Tensor.fromEngine(r.output()), Tensor.fromEngine(r.h()), Tensor.fromEngine(r.c()));
    }

    private Lstm newOperator() {
        List<FloatTensor> wIh = new ArrayList<>();
        List<FloatTensor> wHh = new ArrayList<>();
        List<float[]> bIh = new ArrayList<>();
        List<float[]> bHh = new ArrayList<>();
        for (int k = 0; k < numLayers; k++) {
            wIh.add(FloatTensor.of(weightIh.get(k).data(), weightIh.get(k).shape()));
            wHh.add(FloatTensor.of(weightHh.get(k).data(), weightHh.get(k).shape()));
            bIh.add(bias ? biasIh.get(k).data() : null);
            bHh.add(bias ? biasHh.get(k).data() : null);
        }
        return Lstm.floating(wIh, wHh).bias(bIh, bHh).batchFirst(batchFirst).build();
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (numLayers != 1) {
            s.append(", num_layers=").append(numLayers);
        }
        if (!bias) {
            s.append(", bias=False");
        }
        if (batchFirst) {
            s.append(", batch_first=True");
        }
        return s.toString();
    }
}
