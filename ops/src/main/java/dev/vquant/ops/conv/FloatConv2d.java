package dev.vquant.ops.conv;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.OpBuilder;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.PerEngine;
import dev.vquant.ops.core.Scratch;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

import java.util.Arrays;

/**
 * float32 2-D convolution on NHWC tensors, the twin of {@link QConv2d} on the engine's fast float
 * kernels: same weight order ({@code [Cout, Cin/groups, KH, KW]}), paths, blocking and thread
 * split; {@code y = sum x * w + bias}, then ReLU when fused. Immutable and thread-safe.
 */
public final class FloatConv2d implements FloatOperator {
    private static final String NAME = "FloatConv2d";

    private final ConvSpec spec;
    private final float[] bias;
    private final boolean relu;
    private final int threads;
    private final PerEngine<Packed> packed;

    private record Packed(PackedFloatDepthwiseWeights depthwise, PackedFloatWeights[] groups) {
    }

    /** The bias cut per group once (the GEMM takes one group's bias at a time); null entries without a bias. */
    private final float[][] groupBias;

    private FloatConv2d(Builder b) {
        FloatTensor weight = TensorChecks.notNull(NAME, "weight", b.weight);
        this.spec = ConvSpec.of(NAME, weight.shape(), b.window.groups, b.window.window(NAME, weight.shape()));
        float[] bias = b.bias();
        if (bias != null && bias.length != spec.cout()) {
            throw new IllegalArgumentException(NAME + ": expected a bias of " + spec.cout() + " values, got " + bias.length);
        }
        this.bias = bias == null ? null : bias.clone();
        this.groupBias = new float[spec.groups()][];
        for (int g = 0; g < groupBias.length && bias != null; g++) {
            groupBias[g] = Arrays.copyOfRange(bias, g * spec.coutPerGroup(), (g + 1) * spec.coutPerGroup());
        }
        this.relu = b.relu();
        this.threads = b.threads();
        float[] w = weight.data().clone();
        float[][] groupMatrices = spec.path() == ConvSpec.Path.DEPTHWISE ? null : spec.groupMatrices(w);
        this.packed = new PerEngine<>(b.engine(), e -> pack(e, w, groupMatrices));
    }

    /**
     * Starts building a convolution over {@code weight} ({@code [Cout, Cin/groups, KH, KW]}
     * float32, copied) with PyTorch's {@code nn.Conv2d} defaults: the weight's kernel size,
     * stride 1, no padding, dilation 1, one group, no bias.
     * <pre>FloatConv2d conv = FloatConv2d.builder(w).stride(2).padding(1).bias(b).relu(true).build();</pre>
     *
     * @param weight the weight
     * @return the builder
     */
    public static Builder builder(FloatTensor weight) {
        return new Builder(weight, null, false);
    }

    /**
     * Starts building a convolution over {@code weight} with {@code geometry} (the kernel SPI's
     * type, for callers that already hold one; stride, padding and dilation setters then have no
     * effect).
     *
     * @param weight   the weight, {@code [Cout, Cin/groups, KH, KW]} float32
     * @param geometry kernel (the weight's), stride, padding and dilation
     * @return the builder
     */
    public static Builder builder(FloatTensor weight, ConvGeometry geometry) {
        return new Builder(weight, geometry, true);
    }

    /** Options of a {@link FloatConv2d}: the window, groups, bias, fused ReLU, threads and engine. */
    public static final class Builder extends OpBuilder<Builder> {
        private final FloatTensor weight;
        private final ConvWindow window;

        private Builder(FloatTensor weight, ConvGeometry geometry, boolean geometryGiven) {
            super(NAME);
            this.weight = weight;
            this.window = new ConvWindow(geometry, geometryGiven);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Stride along both axes (default 1); ignored when a geometry was given.
         *
         * @param stride the stride
         * @return this builder
         */
        public Builder stride(int stride) {
            window.stride = stride;
            return this;
        }

        /**
         * Zero padding on both sides of both axes (default 0); ignored when a geometry was given.
         *
         * @param padding the padding
         * @return this builder
         */
        public Builder padding(int padding) {
            window.padding = padding;
            return this;
        }

        /**
         * Dilation along both axes (default 1); ignored when a geometry was given.
         *
         * @param dilation the dilation
         * @return this builder
         */
        public Builder dilation(int dilation) {
            window.dilation = dilation;
            return this;
        }

        /**
         * Convolution groups (default 1); {@code groups == Cin == Cout} is depthwise.
         *
         * @param groups the groups, checked by {@link #build()}
         * @return this builder
         */
        public Builder groups(int groups) {
            window.groups = groups;
            return this;
        }

        /**
         * The convolution, packed for {@link #engine()} at build time.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a null or non-4-D weight, a null
         *                                  geometry or one whose kernel is not the weight's, groups
         *                                  {@code <= 0} or not dividing {@code Cout}, or a bias of the
         *                                  wrong length
         */
        public FloatConv2d build() {
            return new FloatConv2d(this);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    private Packed pack(KernelBackend e, float[] w, float[][] groupMatrices) {
        if (groupMatrices == null) {
            return new Packed(e.floatDepthwise().pack(w, spec.cout(), spec.kh(), spec.kw()), null);
        }
        PackedFloatWeights[] g = new PackedFloatWeights[spec.groups()];
        for (int i = 0; i < g.length; i++) {
            g[i] = e.floatGemm().pack(groupMatrices[i], spec.coutPerGroup(), spec.kPerGroup());
        }
        return new Packed(null, g);
    }

    /**
     * {@inheritDoc} NaN and infinities propagate as in PyTorch.
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not an NHWC tensor with {@code Cin} channels, a
     *                                  spatial size the window does not fit, or an output over
     *                                  {@code 2^31-1} elements
     */
    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        TensorChecks.engine(NAME, engine);
        int[] d = spec.checkInput(NAME, x.shape());
        int batch = d[0];
        int outH = d[3];
        int outW = d[4];
        int m = batch * outH * outW;
        int cout = spec.cout();
        float[] out = OutputArena.floats(m * cout);
        Packed p = packed.get(engine);
        float[] a = x.data();
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        float hi = Float.POSITIVE_INFINITY;
        int og = spec.coutPerGroup();
        float[][] groupBias = this.groupBias;
        int nThreads = GemmSplit.threadsFor((long) m * cout * spec.kPerGroup(), Threads.resolve(threads));
        switch (spec.path()) {
            case DEPTHWISE -> {
                FloatDepthwiseKernels dw = engine.floatDepthwise();
                int rows = batch * outH;
                if (rows > 0) {
                    // the one check of the whole call (what conv would repeat per row block)
                    KernelArgs.checkFloatDepthwiseCall(a, batch, d[1], d[2], p.depthwise, spec.geometry(), bias, lo, hi,
                            0, rows, out.length);
                }
                Parallel.forRange(rows, nThreads, 1, (rs, re) ->
                        dw.run(a, batch, d[1], d[2], p.depthwise, spec.geometry(), bias, lo, hi, rs, re, out));
            }
            case POINTWISE -> {
                int cin = spec.cin();
                int cg = spec.cinPerGroup();
                GemmSplit.run(m, og, cg, nThreads, (rs, re, cs, ce) -> {
                    for (int g = 0; g < spec.groups(); g++) {
                        engine.floatGemm().gemm(a, rs * cin + g * cg, cin, re - rs, p.groups[g], cs, ce, groupBias[g], lo, hi,
                                out, rs * cout + g * og, cout);
                    }
                });
            }
            default -> {
                Im2col.Frame f = new Im2col.Frame(d[1], d[2], spec.cin(), outH, outW, spec);
                int k = spec.kPerGroup();
                int block = spec.blockRows(m);
                // blocks sit at fixed multiples of blockRows, so every GEMM call is the same at any thread count
                Parallel.forRange((m + block - 1) / block, nThreads, 1, (bs, be) -> {
                    float[] buf = Scratch.floats(block * k);
                    int[] taps = f.newTapArray();
                    for (int r = bs * block; r < Math.min(m, be * block); r += block) {
                        int rows = Math.min(block, m - r);
                        for (int g = 0; g < spec.groups(); g++) {
                            Im2col.f32(a, f, g, r, rows, buf, taps);
                            engine.floatGemm().gemm(buf, 0, k, rows, p.groups[g], 0, og, groupBias[g], lo, hi, out,
                                    r * cout + g * og, cout);
                        }
                    }
                });
            }
        }
        return OutputTensors.floats(out, batch, outH, outW, cout);
    }
}
