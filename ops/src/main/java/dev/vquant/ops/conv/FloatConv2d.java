package dev.vquant.ops.conv;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.GemmSplit;
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

    /**
     * @param weight   {@code [Cout, Cin/groups, KH, KW]} float32 (copied)
     * @param bias     length Cout, or null
     * @param geometry kernel, stride, padding, dilation
     * @param groups   convolution groups
     * @param relu     fuse a ReLU
     * @param threads  threads for this operator, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException naming the operator for a null or non-4-D weight, a null
     *                                  geometry or one whose kernel is not the weight's, groups
     *                                  {@code <= 0} or not dividing {@code Cout}, a bias of the wrong
     *                                  length, or a negative thread count
     */
    public FloatConv2d(FloatTensor weight, float[] bias, ConvGeometry geometry, int groups, boolean relu, int threads) {
        this(weight, bias, geometry, groups, relu, threads, QuantEngine.current());
    }

    /** As above, packing for {@code engine} at build time (a null engine is rejected). */
    public FloatConv2d(FloatTensor weight, float[] bias, ConvGeometry geometry, int groups, boolean relu, int threads,
                       KernelBackend engine) {
        TensorChecks.notNull(NAME, "weight", weight);
        this.spec = ConvSpec.of(NAME, weight.shape(), groups, geometry);
        if (bias != null && bias.length != spec.cout()) {
            throw new IllegalArgumentException(NAME + ": expected a bias of " + spec.cout() + " values, got " + bias.length);
        }
        TensorChecks.threads(NAME, threads);
        TensorChecks.engine(NAME, engine);
        this.bias = bias == null ? null : bias.clone();
        this.relu = relu;
        this.threads = threads;
        float[] w = weight.data().clone();
        float[][] groupMatrices = spec.path() == ConvSpec.Path.DEPTHWISE ? null : spec.groupMatrices(w);
        this.packed = new PerEngine<>(engine, e -> pack(e, w, groupMatrices));
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
        float[] out = new float[m * cout];
        Packed p = packed.get(engine);
        float[] a = x.data();
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        float hi = Float.POSITIVE_INFINITY;
        int og = spec.coutPerGroup();
        float[][] groupBias = new float[spec.groups()][];
        for (int g = 0; g < groupBias.length && bias != null; g++) {
            groupBias[g] = Arrays.copyOfRange(bias, g * og, (g + 1) * og);
        }
        int nThreads = GemmSplit.threadsFor((long) m * cout * spec.kPerGroup(), Threads.resolve(threads));
        switch (spec.path()) {
            case DEPTHWISE -> Parallel.forRange(batch * outH, nThreads, 1, (rs, re) ->
                    engine.floatDepthwise().conv(a, batch, d[1], d[2], p.depthwise, spec.geometry(), bias, lo, hi, rs, re, out));
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
        return FloatTensor.of(out, batch, outH, outW, cout);
    }
}
