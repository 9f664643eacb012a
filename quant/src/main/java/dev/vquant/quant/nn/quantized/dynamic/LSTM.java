package dev.vquant.quant.nn.quantized.dynamic;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.rnn.Lstm;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

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
 * {@code bias_hh_l{k}}. Immutable and thread-safe.
 */
public final class LSTM extends Module {
    private final List<QTensor> weightIh;
    private final List<QTensor> weightHh;
    private final List<float[]> biasIh;
    private final List<float[]> biasHh;
    private final boolean batchFirst;
    private final Lstm op;

    /**
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
        this.op = Lstm.dynamicQuantized(this.weightIh, this.weightHh, this.biasIh, this.biasHh, batchFirst, true, 0);
    }

    private static List<float[]> copies(List<float[]> bias) {
        Objects.requireNonNull(bias, "bias");
        List<float[]> out = new ArrayList<>(bias.size());
        for (float[] b : bias) {
            out.add(b == null ? null : b.clone());
        }
        return out;
    }

    /** The number of layers. */
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
     * @throws IllegalArgumentException for a wrong input or state shape, or a quantized input
     */
    public dev.vquant.quant.nn.LSTM.Output forwardWithState(Tensor x, Tensor h0, Tensor c0) {
        FloatTensor in = x.contiguousFloat("dynamic quantized LSTM");
        FloatTensor h = h0 == null ? null : h0.contiguousFloat("dynamic quantized LSTM (h0)");
        FloatTensor c = c0 == null ? null : c0.contiguousFloat("dynamic quantized LSTM (c0)");
        Lstm.Result r = op.forward(in, h, c, QuantEngine.current());
        return new dev.vquant.quant.nn.LSTM.Output(Tensor.fromEngine(r.output()), Tensor.fromEngine(r.h()), Tensor.fromEngine(r.c()));
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

    @Override
    protected String extraRepr() {
        return weightIh.get(0).dim(1) + ", " + weightHh.get(0).dim(1) + (numLayers() != 1 ? ", num_layers=" + numLayers() : "")
                + (batchFirst ? ", batch_first=True" : "") + ", dtype=torch.qint8";
    }
}
