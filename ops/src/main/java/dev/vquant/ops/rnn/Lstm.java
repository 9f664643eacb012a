package dev.vquant.ops.rnn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.FloatLinear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unidirectional, single- or multi-layer LSTM over float32 activations, PyTorch's {@code nn.LSTM}
 * and, built with {@link #dynamicQuantized}, its dynamically quantized form
 * ({@code torch.ao.nn.quantized.dynamic.LSTM}): the input-to-hidden and hidden-to-hidden
 * projections are int8-weight GEMMs through {@link DynamicQLinear} (activations quantized per
 * call), the gates and state stay float32. Per layer, as PyTorch's CPU implementation does:
 * <pre>
 * X_w = linear_ih(X)                        one call over all T*B rows (one quantization of the sequence)
 * for t: gates = linear_hh(h) + X_w[t]      linear_hh quantizes h per step; each projection adds its own bias
 *        i, f, g, o = split(gates)          PyTorch's gate order
 *        c = sigmoid(f) * c + sigmoid(i) * tanh(g);  h = sigmoid(o) * tanh(c)
 * </pre>
 * Input {@code [T, B, I]} ({@code [B, T, I]} when batch-first), output {@code [T, B, H]} (or
 * {@code [B, T, H]}), final states {@code [layers, B, H]}. The projections use the operator's
 * threads; the element-wise cell runs in the caller. Immutable and thread-safe.
 */
public final class Lstm {
    private static final String NAME = "LSTM";

    /** {@code out[rows][outFeatures] = x[rows][inFeatures] W^T + bias}, one projection of a layer. */
    public interface Projection {
        void apply(KernelBackend engine, float[] x, int rows, float[] out);

        int inFeatures();

        int outFeatures();
    }

    /** Output sequence and final hidden and cell states. */
    public record Result(FloatTensor output, FloatTensor h, FloatTensor c) {
    }

    private record Layer(Projection ih, Projection hh) {
    }

    private final List<Layer> layers;
    private final int hidden;
    private final boolean batchFirst;

    private Lstm(List<Layer> layers, boolean batchFirst) {
        this.layers = List.copyOf(layers);
        this.hidden = layers.get(0).hh.inFeatures();
        this.batchFirst = batchFirst;
        int in = layers.get(0).ih.inFeatures();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.hh.inFeatures() != hidden || layer.hh.outFeatures() != 4 * hidden || layer.ih.outFeatures() != 4 * hidden) {
                throw new IllegalArgumentException(NAME + ": layer " + l + " needs weight_ih [" + 4 * hidden + ", in] and weight_hh ["
                        + 4 * hidden + ", " + hidden + "], got [" + layer.ih.outFeatures() + ", " + layer.ih.inFeatures() + "] and ["
                        + layer.hh.outFeatures() + ", " + layer.hh.inFeatures() + "]");
            }
            if (layer.ih.inFeatures() != in) {
                throw new IllegalArgumentException(NAME + ": layer " + l + " expects " + layer.ih.inFeatures()
                        + " input features but the previous layer gives " + in);
            }
            in = hidden;
        }
    }

    /**
     * The dynamically quantized LSTM: per layer qint8 {@code weight_ih [4H, in]} and
     * {@code weight_hh [4H, H]} (per tensor or per channel), float biases (or null).
     *
     * @param reduceRange quantize activations to 0..127 where the engine honours it (PyTorch's
     *                    current dynamic LSTM passes true)
     * @param threads     threads for the projections, 0 for the global count
     * @throws IllegalArgumentException naming the operator (and the layer) for null or unequal
     *                                  lists, a weight or bias its {@link DynamicQLinear} rejects,
     *                                  or weights whose sizes do not chain into an LSTM
     */
    public static Lstm dynamicQuantized(List<QTensor> weightIh, List<QTensor> weightHh, List<float[]> biasIh,
                                        List<float[]> biasHh, boolean batchFirst, boolean reduceRange, int threads) {
        return dynamicQuantized(weightIh, weightHh, biasIh, biasHh, batchFirst, reduceRange, threads, QuantEngine.current());
    }

    /** As above, packing the weights for {@code engine} at build time (a null engine is rejected). */
    public static Lstm dynamicQuantized(List<QTensor> weightIh, List<QTensor> weightHh, List<float[]> biasIh,
                                        List<float[]> biasHh, boolean batchFirst, boolean reduceRange, int threads,
                                        KernelBackend engine) {
        List<Layer> layers = new ArrayList<>();
        TensorChecks.engine(NAME, engine);
        for (int l = 0; l < checkLayers(weightIh, weightHh, biasIh, biasHh); l++) {
            int i = l;
            layers.add(new Layer(
                    TensorChecks.named(NAME + ": layer " + l + " weight_ih",
                            () -> dynamic(weightIh.get(i), biasIh.get(i), reduceRange, threads, engine)),
                    TensorChecks.named(NAME + ": layer " + l + " weight_hh",
                            () -> dynamic(weightHh.get(i), biasHh.get(i), reduceRange, threads, engine))));
        }
        return new Lstm(layers, batchFirst);
    }

    /**
     * The float32 twin: the same recurrence on {@link FloatLinear} projections.
     *
     * @throws IllegalArgumentException as {@link #dynamicQuantized}, for what {@link FloatLinear} rejects
     */
    public static Lstm floating(List<FloatTensor> weightIh, List<FloatTensor> weightHh, List<float[]> biasIh,
                                List<float[]> biasHh, boolean batchFirst, int threads) {
        return floating(weightIh, weightHh, biasIh, biasHh, batchFirst, threads, QuantEngine.current());
    }

    /** As above, packing the weights for {@code engine} at build time (a null engine is rejected). */
    public static Lstm floating(List<FloatTensor> weightIh, List<FloatTensor> weightHh, List<float[]> biasIh,
                                List<float[]> biasHh, boolean batchFirst, int threads, KernelBackend engine) {
        List<Layer> layers = new ArrayList<>();
        TensorChecks.engine(NAME, engine);
        for (int l = 0; l < checkLayers(weightIh, weightHh, biasIh, biasHh); l++) {
            int i = l;
            layers.add(new Layer(
                    TensorChecks.named(NAME + ": layer " + l + " weight_ih",
                            () -> floating(weightIh.get(i), biasIh.get(i), threads, engine)),
                    TensorChecks.named(NAME + ": layer " + l + " weight_hh",
                            () -> floating(weightHh.get(i), biasHh.get(i), threads, engine))));
        }
        return new Lstm(layers, batchFirst);
    }

    public int layers() {
        return layers.size();
    }

    public int hiddenSize() {
        return hidden;
    }

    /** Runs with zero initial states on the current engine; throws as {@link #forward(FloatTensor, FloatTensor, FloatTensor, KernelBackend)}. */
    public Result forward(FloatTensor x) {
        return forward(x, null, null, QuantEngine.current());
    }

    /**
     * @param h0 initial hidden state {@code [layers, B, H]}, or null for zeros
     * @param c0 initial cell state {@code [layers, B, H]}, or null for zeros
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not 3-D with {@code I} features, states of another
     *                                  shape, activations over {@code 2^31-1} elements, or (the
     *                                  dynamically quantized form) NaN or infinite values
     */
    public Result forward(FloatTensor x, FloatTensor h0, FloatTensor c0, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        TensorChecks.engine(NAME, engine);
        int[] s = x.shape();
        if (s.length != 3) {
            throw new IllegalArgumentException(NAME + ": expected a 3-D input " + (batchFirst ? "[B, T, I]" : "[T, B, I]")
                    + ", got shape " + Arrays.toString(s));
        }
        int steps = batchFirst ? s[1] : s[0];
        int batch = batchFirst ? s[0] : s[1];
        int in = layers.get(0).ih.inFeatures();
        if (s[2] != in) {
            throw new IllegalArgumentException(NAME + ": expected " + in + " input features in the last dimension, got " + s[2]);
        }
        int[] stateShape = {layers.size(), batch, hidden};
        checkState("h0", h0, stateShape);
        checkState("c0", c0, stateShape);
        TensorChecks.outputSize(NAME, steps, batch, 4 * hidden);
        float[] seq = batchFirst ? swapFirstTwo(x.data(), batch, steps, in) : x.data();
        float[] hN = new float[layers.size() * batch * hidden];
        float[] cN = new float[hN.length];
        for (int l = 0; l < layers.size(); l++) {
            float[] h = h0 == null ? new float[batch * hidden] : Arrays.copyOfRange(h0.data(), l * batch * hidden, (l + 1) * batch * hidden);
            float[] c = c0 == null ? new float[batch * hidden] : Arrays.copyOfRange(c0.data(), l * batch * hidden, (l + 1) * batch * hidden);
            float[] layerInput = seq;
            Layer layer = layers.get(l);
            seq = TensorChecks.named(NAME + ": layer " + l, () -> runLayer(layer, engine, layerInput, steps, batch, h, c));
            System.arraycopy(h, 0, hN, l * batch * hidden, h.length);
            System.arraycopy(c, 0, cN, l * batch * hidden, c.length);
        }
        FloatTensor out = batchFirst
                ? FloatTensor.of(swapFirstTwo(seq, steps, batch, hidden), batch, steps, hidden)
                : FloatTensor.of(seq, steps, batch, hidden);
        return new Result(out, FloatTensor.of(hN, stateShape), FloatTensor.of(cN, stateShape));
    }

    /** One layer over the whole sequence; updates {@code h} and {@code c} in place, returns the hidden sequence. */
    private float[] runLayer(Layer layer, KernelBackend engine, float[] seq, int steps, int batch, float[] h, float[] c) {
        int g4 = 4 * hidden;
        float[] inputW = new float[steps * batch * g4];
        layer.ih.apply(engine, seq, steps * batch, inputW);
        float[] gates = new float[batch * g4];
        float[] out = new float[steps * batch * hidden];
        for (int t = 0; t < steps; t++) {
            layer.hh.apply(engine, h, batch, gates);
            LstmCell.step(gates, inputW, t * batch * g4, batch, hidden, h, c);
            System.arraycopy(h, 0, out, t * batch * hidden, batch * hidden);
        }
        return out;
    }

    private static Projection dynamic(QTensor w, float[] bias, boolean reduceRange, int threads, KernelBackend engine) {
        DynamicQLinear op = DynamicQLinear.builder(w).bias(bias).reduceRange(reduceRange).threads(threads).engine(engine).build();
        return new Bound(op::forward, op.inFeatures(), op.outFeatures());
    }

    private static Projection floating(FloatTensor w, float[] bias, int threads, KernelBackend engine) {
        FloatLinear op = FloatLinear.builder(w).bias(bias).threads(threads).engine(engine).build();
        return new Bound(op::gemm, op.inFeatures(), op.outFeatures());
    }

    /** The apply step of a projection. */
    private interface Apply {
        void apply(KernelBackend engine, float[] x, int rows, float[] out);
    }

    /** A projection made of an operator's array entry point and its sizes. */
    private record Bound(Apply fn, int inFeatures, int outFeatures) implements Projection {
        @Override
        public void apply(KernelBackend engine, float[] x, int rows, float[] out) {
            fn.apply(engine, x, rows, out);
        }
    }

    private static int checkLayers(List<?> wIh, List<?> wHh, List<float[]> bIh, List<float[]> bHh) {
        if (wIh == null || wHh == null || bIh == null || bHh == null || wIh.isEmpty()) {
            throw new IllegalArgumentException(NAME + ": need at least one layer of weights and bias lists (use null entries for no bias)");
        }
        int n = wIh.size();
        if (wHh.size() != n || bIh.size() != n || bHh.size() != n) {
            throw new IllegalArgumentException(NAME + ": weight_ih, weight_hh, bias_ih and bias_hh need one entry per layer, got "
                    + n + ", " + wHh.size() + ", " + bIh.size() + ", " + bHh.size());
        }
        return n;
    }

    private static void checkState(String what, FloatTensor s, int[] shape) {
        if (s != null && !Arrays.equals(s.shape(), shape)) {
            throw new IllegalArgumentException(NAME + ": expected " + what + " of shape " + Arrays.toString(shape) + ", got "
                    + Arrays.toString(s.shape()));
        }
    }

    /** {@code [a][b][f] -> [b][a][f]}. */
    private static float[] swapFirstTwo(float[] x, int a, int b, int f) {
        float[] y = new float[x.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(x, (i * b + j) * f, y, (j * a + i) * f, f);
            }
        }
        return y;
    }
}
