package dev.vquant.quant.nn.quantized.dynamic;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.rnn.Lstm;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.LoadResult;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.quantized.QuantizedState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dynamically quantized LSTM (PyTorch's {@code torch.ao.nn.quantized.dynamic.LSTM}): qint8
 * {@code weight_ih_l{k}} / {@code weight_hh_l{k}} (per tensor or per channel), float biases; each
 * gate projection is a dynamic quantized Linear with the engine's rules (activations re-quantized
 * per call, reduce_range asked for as PyTorch's module does), the gate arithmetic in float32, by
 * vquant's {@link Lstm}. Same input and state layouts as the float {@link dev.vquant.quant.nn.LSTM}.
 *
 * <p>State dict: {@code weight_ih_l{k}}, {@code weight_hh_l{k}} (quantized), {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}}, PyTorch's names (what {@code nnqd.LSTM._weight_bias()} gives, and what
 * {@code tools/export_int8.py} exports, so a PyTorch-quantized LSTM loads with
 * {@link dev.vquant.quant.io.StateDicts#load} and {@code loadStateDict}). Safe for concurrent
 * forwards; loading a state dict is not.
 */
public final class LSTM extends Module {
    private List<QTensor> weightIh;
    private List<QTensor> weightHh;
    private List<float[]> biasIh;
    private List<float[]> biasHh;
    private final boolean batchFirst;
    private volatile Lstm op;

    /**
     * A dynamically quantized LSTM over the given per-layer weights (the lists and bias arrays are
     * copied), as {@code quantizeDynamic} builds it from a float LSTM.
     *
     * @param weightIh   per layer, qint8 {@code [4 * hidden, in]}
     * @param weightHh   per layer, qint8 {@code [4 * hidden, hidden]}
     * @param biasIh     per layer, float {@code [4 * hidden]} (entries may be null: no bias)
     * @param biasHh     per layer, float {@code [4 * hidden]} (entries may be null)
     * @param batchFirst inputs {@code [B, T, in]} rather than {@code [T, B, in]}
     * @throws IllegalArgumentException when the layers do not chain or the shapes disagree
     */
    public LSTM(List<QTensor> weightIh, List<QTensor> weightHh, List<float[]> biasIh, List<float[]> biasHh, boolean batchFirst) {
        this.weightIh = List.copyOf(Objects.requireNonNull(weightIh, "weightIh"));
        this.weightHh = List.copyOf(Objects.requireNonNull(weightHh, "weightHh"));
        this.biasIh = copies(biasIh);
        this.biasHh = copies(biasHh);
        this.batchFirst = batchFirst;
        this.op = Lstm.dynamicQuantized(this.weightIh, this.weightHh).bias(this.biasIh, this.biasHh).batchFirst(batchFirst).build();
    }

    private static List<float[]> copies(List<float[]> bias) {
        Objects.requireNonNull(bias, "bias");
        List<float[]> out = new ArrayList<>(bias.size());
        for (float[] b : bias) {
            out.add(b == null ? null : b.clone());
        }
        return out;
    }

    /** {@return the number of layers} */
    public int numLayers() {
        return weightIh.size();
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
     * @throws IllegalArgumentException for a wrong input or state shape, or a quantized input
     */
    public dev.vquant.quant.nn.LSTM.Output forwardWithState(Tensor x, Tensor h0, Tensor c0) {
        FloatTensor in = x.contiguousFloat("dynamic quantized LSTM");
        FloatTensor h = h0 == null ? null : h0.contiguousFloat("dynamic quantized LSTM (h0)");
        FloatTensor c = c0 == null ? null : c0.contiguousFloat("dynamic quantized LSTM (c0)");
        Lstm.Result r = op.forward(in, h, c, QuantEngine.current());
        return dev.vquant.quant.nn.LSTM.output(Tensor.fromEngine(r.output()), Tensor.fromEngine(r.h()), Tensor.fromEngine(r.c()));
    }

    @Override
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        for (int k = 0; k < numLayers(); k++) {
            out.put(prefix + "weight_ih_l" + k, Tensor.ofQuantized(weightIh.get(k)));
            out.put(prefix + "weight_hh_l" + k, Tensor.ofQuantized(weightHh.get(k)));
            if (biasIh.get(k) != null) {
                out.put(prefix + "bias_ih_l" + k, Tensor.of(biasIh.get(k).clone(), biasIh.get(k).length));
            }
            if (biasHh.get(k) != null) {
                out.put(prefix + "bias_hh_l" + k, Tensor.of(biasHh.get(k).clone(), biasHh.get(k).length));
            }
        }
    }

    /**
     * Loads PyTorch's entries (weights quantized, of the shapes this module has; biases where this
     * module has them) and rebuilds the operator; on any problem the module stays as it was.
     */
    @Override
    protected void loadFromStateDict(String prefix, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems) {
        List<QTensor> wIh = new ArrayList<>();
        List<QTensor> wHh = new ArrayList<>();
        List<float[]> bIh = new ArrayList<>();
        List<float[]> bHh = new ArrayList<>();
        boolean complete = true;
        for (int k = 0; k < numLayers(); k++) {
            wIh.add(QuantizedState.weight(prefix, "weight_ih_l" + k, state, used, problems, weightIh.get(k).shape()));
            wHh.add(QuantizedState.weight(prefix, "weight_hh_l" + k, state, used, problems, weightHh.get(k).shape()));
            bIh.add(biasIh.get(k) == null ? null
                    : QuantizedState.floats(prefix + "bias_ih_l" + k, state, used, problems, biasIh.get(k).length));
            bHh.add(biasHh.get(k) == null ? null
                    : QuantizedState.floats(prefix + "bias_hh_l" + k, state, used, problems, biasHh.get(k).length));
            complete &= wIh.get(k) != null && wHh.get(k) != null && (biasIh.get(k) == null || bIh.get(k) != null)
                    && (biasHh.get(k) == null || bHh.get(k) != null);
        }
        if (complete) {
            Lstm built = Lstm.dynamicQuantized(wIh, wHh).bias(bIh, bHh).batchFirst(batchFirst).build();
            this.weightIh = List.copyOf(wIh);
            this.weightHh = List.copyOf(wHh);
            this.biasIh = bIh;
            this.biasHh = bHh;
            this.op = built;
        }
    }

    @Override
    protected String extraRepr() {
        return weightIh.get(0).dim(1) + ", " + weightHh.get(0).dim(1) + (numLayers() != 1 ? ", num_layers=" + numLayers() : "")
                + (batchFirst ? ", batch_first=True" : "") + ", dtype=torch.qint8";
    }
}
