package dev.vquant.ops.rnn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.Scratch;
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
 * threads; the element-wise cell runs in the caller. The input projections and gates are the
 * calling thread's {@link Scratch} buffers; inside an {@link OutputArena} scope the results and the
 * other per-call arrays (states, quantized activations) come from the arena, so a reused scope
 * allocates no array.
 * Immutable and thread-safe.
 */
public final class Lstm {
    private static final String NAME = "LSTM";

    /** {@code out[rows][outFeatures] = x[rows][inFeatures] W^T + bias}, one projection of a layer. */
    public interface Projection {
        /**
         * Projects {@code rows} rows.
         *
         * @param engine the kernel backend
         * @param x      the input rows, {@code rows * inFeatures()} floats, row-major
         * @param rows   the row count
         * @param out    receives the output rows, {@code rows * outFeatures()} floats, row-major
         */
        void apply(KernelBackend engine, float[] x, int rows, float[] out);

        /** {@return the input features} */
        int inFeatures();

        /** {@return the output features} */
        int outFeatures();
    }

    /**
     * Output sequence and final hidden and cell states.
     *
     * @param output the output sequence, {@code [T, B, H]} ({@code [B, T, H]} when batch first)
     * @param h      the final hidden state per layer, {@code [layers, B, H]}
     * @param c      the final cell state per layer, {@code [layers, B, H]}
     */
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
     * Starts the dynamically quantized LSTM ({@code torch.ao.nn.quantized.dynamic.LSTM}) over
     * per-layer qint8 {@code weight_ih [4H, in]} and {@code weight_hh [4H, H]} (per tensor or per
     * channel); no biases, time-major input and reduce_range unless set.
     * <pre>Lstm lstm = Lstm.dynamicQuantized(wIh, wHh).bias(bIh, bHh).batchFirst(true).build();</pre>
     *
     * @param weightIh {@code weight_ih_l[k]}, one per layer
     * @param weightHh {@code weight_hh_l[k]}, one per layer
     * @return the builder
     */
    public static DynamicBuilder dynamicQuantized(List<QTensor> weightIh, List<QTensor> weightHh) {
        return new DynamicBuilder(weightIh, weightHh);
    }

    /**
     * Starts the float32 LSTM (PyTorch's {@code nn.LSTM}): the same recurrence on
     * {@link FloatLinear} projections, per-layer float {@code weight_ih [4H, in]} and
     * {@code weight_hh [4H, H]}.
     * <pre>Lstm lstm = Lstm.floating(wIh, wHh).bias(bIh, bHh).build();</pre>
     *
     * @param weightIh {@code weight_ih_l[k]}, one per layer
     * @param weightHh {@code weight_hh_l[k]}, one per layer
     * @return the builder
     */
    public static FloatBuilder floating(List<FloatTensor> weightIh, List<FloatTensor> weightHh) {
        return new FloatBuilder(weightIh, weightHh);
    }

    /**
     * Options both LSTM forms share, with PyTorch's names: per-layer biases, {@code batch_first},
     * the projections' thread count and the engine to pack for at build time.
     *
     * @param <B> the concrete builder, returned by every setter
     * @param <W> the weight type
     */
    public abstract static sealed class Builder<B extends Builder<B, W>, W> permits DynamicBuilder, FloatBuilder {
        final List<W> weightIh;
        final List<W> weightHh;
        List<float[]> biasIh;
        List<float[]> biasHh;
        boolean batchFirst;
        int threads;
        KernelBackend engine;
        boolean engineSet;

        private Builder(List<W> weightIh, List<W> weightHh) {
            this.weightIh = weightIh;
            this.weightHh = weightHh;
        }

        abstract B self();

        /**
         * Per-layer {@code bias_ih_l[k]} and {@code bias_hh_l[k]} ({@code [4H]} each; null entries
         * for none). Default: no biases.
         *
         * @param biasIh input-to-hidden biases, one entry per layer
         * @param biasHh hidden-to-hidden biases, one entry per layer
         * @return this builder
         */
        public B bias(List<float[]> biasIh, List<float[]> biasHh) {
            this.biasIh = biasIh;
            this.biasHh = biasHh;
            return self();
        }

        /**
         * PyTorch's {@code batch_first}: input and output {@code [B, T, *]} instead of
         * {@code [T, B, *]} (default false).
         *
         * @param batchFirst whether the batch axis comes first
         * @return this builder
         */
        public B batchFirst(boolean batchFirst) {
            this.batchFirst = batchFirst;
            return self();
        }

        /**
         * Threads for the projections; 0 (the default) follows {@link dev.vquant.ops.core.Threads#get()}.
         *
         * @param threads the thread count, checked by {@code build()}
         * @return this builder
         */
        public B threads(int threads) {
            this.threads = threads;
            return self();
        }

        /**
         * The engine to pack the weights for at build time (default: the current one).
         *
         * @param engine the engine, not null
         * @return this builder
         */
        public B engine(KernelBackend engine) {
            this.engine = engine;
            this.engineSet = true;
            return self();
        }

        /** The engine set (checked), else the current one. */
        KernelBackend packEngine() {
            return engineSet ? TensorChecks.engine(NAME, engine) : QuantEngine.current();
        }

        /** Makes one projection of a layer. */
        @FunctionalInterface
        interface ProjectionMaker<W> {
            Projection make(W weight, float[] bias, KernelBackend engine);
        }

        /** The layers from the options, each projection made by {@code maker} and named by layer in messages. */
        Lstm assemble(ProjectionMaker<W> maker) {
            KernelBackend e = packEngine();
            List<float[]> bIh = biases(biasIh);
            List<float[]> bHh = biases(biasHh);
            List<Layer> layers = new ArrayList<>();
            for (int l = 0; l < checkLayers(weightIh, weightHh, bIh, bHh); l++) {
                int i = l;
                layers.add(new Layer(
                        TensorChecks.named(NAME + ": layer " + l + " weight_ih", () -> maker.make(weightIh.get(i), bIh.get(i), e)),
                        TensorChecks.named(NAME + ": layer " + l + " weight_hh", () -> maker.make(weightHh.get(i), bHh.get(i), e))));
            }
            return new Lstm(layers, batchFirst);
        }

        /** The bias lists set, else one null entry per layer (the weight list's size is checked later). */
        List<float[]> biases(List<float[]> given) {
            if (given != null || biasIh != null || biasHh != null || weightIh == null) {
                return given;
            }
            return Arrays.asList(new float[weightIh.size()][]);
        }
    }

    /** Options of the dynamically quantized LSTM: the shared ones plus {@code reduce_range}. */
    public static final class DynamicBuilder extends Builder<DynamicBuilder, QTensor> {
        private boolean reduceRange = true;

        private DynamicBuilder(List<QTensor> weightIh, List<QTensor> weightHh) {
            super(weightIh, weightHh);
        }

        @Override
        DynamicBuilder self() {
            return this;
        }

        /**
         * Quantize activations to 0..127 where the engine honours it (default true: PyTorch's
         * current dynamic LSTM passes {@code reduce_range=True}).
         *
         * @param reduceRange whether to reduce the activation range
         * @return this builder
         */
        public DynamicBuilder reduceRange(boolean reduceRange) {
            this.reduceRange = reduceRange;
            return this;
        }

        /**
         * The LSTM, its projections packed for the engine at build time.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator (and the layer) for null or unequal
         *                                  lists, a weight or bias its {@link DynamicQLinear} rejects,
         *                                  weights whose sizes do not chain into an LSTM, a negative
         *                                  thread count or a null engine
         */
        public Lstm build() {
            return assemble((w, bias, e) -> dynamic(w, bias, reduceRange, threads, e));
        }
    }

    /** Options of the float32 LSTM: the shared ones. */
    public static final class FloatBuilder extends Builder<FloatBuilder, FloatTensor> {
        private FloatBuilder(List<FloatTensor> weightIh, List<FloatTensor> weightHh) {
            super(weightIh, weightHh);
        }

        @Override
        FloatBuilder self() {
            return this;
        }

        /**
         * The LSTM, its projections packed for the engine at build time.
         *
         * @return the operator
         * @throws IllegalArgumentException as {@link DynamicBuilder#build()}, for what
         *                                  {@link FloatLinear} rejects
         */
        public Lstm build() {
            return assemble((w, bias, e) -> floating(w, bias, threads, e));
        }
    }

    /** {@return the number of stacked layers (PyTorch's {@code num_layers})} */
    public int layers() {
        return layers.size();
    }

    /** {@return the hidden size {@code H} (PyTorch's {@code hidden_size})} */
    public int hiddenSize() {
        return hidden;
    }

    /**
     * Runs with zero initial states on the current engine; throws as {@link #forward(FloatTensor, FloatTensor, FloatTensor, KernelBackend)}.
     *
     * @param x the input sequence, {@code [T, B, I]} ({@code [B, T, I]} when batch first)
     * @return the output sequence and final states
     */
    public Result forward(FloatTensor x) {
        return forward(x, null, null, QuantEngine.current());
    }

    /**
     * Runs the whole sequence through every layer ({@code nn.LSTM.forward(x, (h0, c0))}).
     *
     * @param x      the input sequence, {@code [T, B, I]} ({@code [B, T, I]} when batch first)
     * @param h0     initial hidden state {@code [layers, B, H]}, or null for zeros
     * @param c0     initial cell state {@code [layers, B, H]}, or null for zeros
     * @param engine the kernel backend
     * @return the output sequence and final states
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not 3-D with {@code I} features, states of another
     *                                  shape, activations over {@code 2^31-1} elements, or (the
     *                                  dynamically quantized form) NaN or infinite values
     */
    public Result forward(FloatTensor x, FloatTensor h0, FloatTensor c0, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        TensorChecks.engine(NAME, engine);
        if (x.rank() != 3) {
            throw new IllegalArgumentException(NAME + ": expected a 3-D input " + (batchFirst ? "[B, T, I]" : "[T, B, I]")
                    + ", got shape " + Arrays.toString(x.shape()));
        }
        int steps = batchFirst ? x.dim(1) : x.dim(0);
        int batch = batchFirst ? x.dim(0) : x.dim(1);
        int in = layers.get(0).ih.inFeatures();
        if (x.dim(2) != in) {
            throw new IllegalArgumentException(NAME + ": expected " + in + " input features in the last dimension, got " + x.dim(2));
        }
        checkState("h0", h0, batch);
        checkState("c0", c0, batch);
        TensorChecks.outputSize(NAME, steps, batch, 4 * hidden);
        float[] seq = batchFirst ? swapFirstTwo(x.data(), batch, steps, in) : x.data();
        float[] hN = OutputArena.floats(layers.size() * batch * hidden);
        float[] cN = OutputArena.floats(hN.length);
        for (int l = 0; l < layers.size(); l++) {
            float[] h = initialState(h0, l, batch * hidden);
            float[] c = initialState(c0, l, batch * hidden);
            float[] layerInput = seq;
            Layer layer = layers.get(l);
            try { // not TensorChecks.named: no message string nor lambda per call
                seq = runLayer(layer, engine, layerInput, steps, batch, h, c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(NAME + ": layer " + l + ": " + e.getMessage(), e);
            }
            System.arraycopy(h, 0, hN, l * batch * hidden, h.length);
            System.arraycopy(c, 0, cN, l * batch * hidden, c.length);
        }
        // inside a reused OutputArena scope the wrappers of the previous scope come back (same arrays): no allocation
        FloatTensor out = batchFirst
                ? OutputTensors.floats(swapFirstTwo(seq, steps, batch, hidden), batch, steps, hidden)
                : OutputTensors.floats(seq, steps, batch, hidden);
        FloatTensor hT = OutputTensors.floats(hN, layers.size(), batch, hidden);
        FloatTensor cT = OutputTensors.floats(cN, layers.size(), batch, hidden);
        Result kept = OutputArena.recall(Result.class);
        if (kept != null && kept.output() == out && kept.h() == hT && kept.c() == cT) {
            return kept;
        }
        return OutputArena.keep(new Result(out, hT, cT));
    }

    /** One layer over the whole sequence; updates {@code h} and {@code c} in place, returns the hidden sequence. */
    private float[] runLayer(Layer layer, KernelBackend engine, float[] seq, int steps, int batch, float[] h, float[] c) {
        int g4 = 4 * hidden;
        // work arrays no result shares: the calling thread's scratch (slots 1 and 2; convolutions use 0),
        // not the arena, so calls outside a scope do not allocate and zero them either (5% of the int8 LSTM)
        float[] inputW = Scratch.floats(1, steps * batch * g4);
        layer.ih.apply(engine, seq, steps * batch, inputW);
        float[] gates = Scratch.floats(2, batch * g4);
        float[] out = OutputArena.floats(steps * batch * hidden);
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

    private void checkState(String what, FloatTensor s, int batch) {
        if (s != null && (s.rank() != 3 || s.dim(0) != layers.size() || s.dim(1) != batch || s.dim(2) != hidden)) {
            int[] shape = {layers.size(), batch, hidden};
            throw new IllegalArgumentException(NAME + ": expected " + what + " of shape " + Arrays.toString(shape) + ", got "
                    + Arrays.toString(s.shape()));
        }
    }

    /** Layer {@code l}'s {@code n} values of an initial state {@code [layers, B, H]}, zeros when absent, in an arena array. */
    private static float[] initialState(FloatTensor s, int l, int n) {
        float[] v = OutputArena.floats(n);
        if (s == null) {
            Arrays.fill(v, 0f);
        } else {
            System.arraycopy(s.data(), l * n, v, 0, n);
        }
        return v;
    }

    /** {@code [a][b][f] -> [b][a][f]}. */
    private static float[] swapFirstTwo(float[] x, int a, int b, int f) {
        float[] y = OutputArena.floats(x.length);
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(x, (i * b + j) * f, y, (j * a + i) * f, f);
            }
        }
        return y;
    }
}
