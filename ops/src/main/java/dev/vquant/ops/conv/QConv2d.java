package dev.vquant.ops.conv;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.Int8Weights;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.PerEngine;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.RequantCache;
import dev.vquant.ops.core.Scratch;
import dev.vquant.ops.core.StaticOpBuilder;
import dev.vquant.ops.core.StaticOutput;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Statically quantized 2-D convolution, PyTorch's {@code quantized::conv2d} / {@code conv2d_relu},
 * on NHWC tensors: quint8 input {@code [N, H, W, Cin]} (per tensor), qint8 weight in PyTorch's
 * {@code [Cout, Cin/groups, KH, KW]} order (per tensor or per output channel), float32 bias,
 * quint8 output {@code [N, outH, outW, Cout]}:
 * <pre>acc[n][oy][ox][o] = sum_{ky,kx,c in group(o)} (x[n][iy][ix][c] - zx) * (w[o][c][ky][kx] - zw[o])</pre>
 * (taps outside the image contribute 0), requantized as {@link dev.vquant.ops.core.RequantMode} says (by default
 * the engine's PyTorch arithmetic); a fused ReLU clamps at the output zero point.
 *
 * <p>Execution ({@link ConvSpec.Path}): depthwise convolutions run on the engine's depthwise
 * kernels, 1x1/stride-1/unpadded ones are a GEMM straight on the input, the rest are one GEMM per
 * group over im2col blocks built in a per-thread buffer (never the whole im2col matrix). Work is
 * split over output pixels (rows). Weights are repacked once into what the kernels want, per
 * engine (cached). Immutable and thread-safe.
 */
public final class QConv2d implements QuantizedOperator {
    private static final String NAME = "Conv2d";

    private final ConvSpec spec;
    private final Int8Weights weights;
    private final StaticOutput out;
    private final PerEngine<Packed> packed;
    /** The last im2col frame (immutable; a race at worst builds one twice). */
    private volatile Im2col.Frame lastFrame;
    private final RequantCache<Requantization[]> requant = new RequantCache<>(this::buildRequant);

    /** Packed weights for one engine: the depthwise form, or one GEMM matrix per group. */
    private record Packed(PackedDepthwiseWeights depthwise, PackedQGemmWeights[] groups) {
    }

    private QConv2d(Builder b) {
        this.weights = Int8Weights.of(NAME, b.weight);
        this.spec = ConvSpec.of(NAME, weights.shape(), b.window.groups, b.window.window(NAME, weights.shape()));
        this.out = StaticOutput.of(NAME, b, spec.cout());
        byte[][] groupMatrices = spec.path() == ConvSpec.Path.DEPTHWISE ? null : spec.groupMatrices(weights.data());
        this.packed = new PerEngine<>(b.engine(), e -> pack(e, groupMatrices));
    }

    /**
     * Starts building a convolution over {@code weight} ({@code [Cout, Cin/groups, KH, KW]} qint8,
     * per tensor or per channel along axis 0) with {@code geometry}. Everything is validated by
     * {@link Builder#build()}.
     *
     * @param weight   the quantized weight, PyTorch's {@code [Cout, Cin/groups, KH, KW]} layout
     * @param geometry the kernel, stride, padding and dilation
     * @return the builder
     */
    public static Builder builder(QTensor weight, ConvGeometry geometry) {
        return new Builder(weight, geometry, true);
    }

    /**
     * Starts building a convolution over {@code weight} ({@code [Cout, Cin/groups, KH, KW]} qint8)
     * with PyTorch's {@code nn.quantized.Conv2d} defaults: the weight's kernel size, stride 1, no
     * padding, dilation 1; {@link Builder#stride}, {@link Builder#padding} and
     * {@link Builder#dilation} change them.
     * <pre>QConv2d conv = QConv2d.builder(w).stride(2).padding(1).output(0.05, 128).build();</pre>
     *
     * @param weight the quantized weight
     * @return the builder
     */
    public static Builder builder(QTensor weight) {
        return new Builder(weight, null, false);
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
        return out.relu() ? "ConvReLU2d" : NAME;
    }

    /** {@return the name of the execution path this convolution takes} */
    public String path() {
        return spec.path().name();
    }

    private Packed pack(KernelBackend e, byte[][] groupMatrices) {
        if (groupMatrices == null) {
            return new Packed(e.depthwise().pack(weights.data(), spec.cout(), spec.kh(), spec.kw(), weights.zeroPoints()), null);
        }
        int og = spec.coutPerGroup();
        PackedQGemmWeights[] g = new PackedQGemmWeights[spec.groups()];
        for (int i = 0; i < g.length; i++) {
            g[i] = e.qgemm().pack(groupMatrices[i], og, spec.kPerGroup(), weights.zeroPoints(i * og, (i + 1) * og));
        }
        return new Packed(null, g);
    }

    private Requantization[] buildRequant(KernelBackend e, double inScale) {
        // depthwise runs as one kernel over all channels; GEMM paths requantize per group
        int count = spec.path() == ConvSpec.Path.DEPTHWISE ? 1 : spec.groups();
        int per = spec.cout() / count;
        Requantization[] rq = new Requantization[count];
        for (int i = 0; i < count; i++) {
            rq[i] = out.requantization(e, inScale, weights.scales(i * per, (i + 1) * per), i * per, (i + 1) * per);
        }
        return rq;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not a per-tensor quint8 NHWC tensor with {@code Cin}
     *                                  channels, a spatial size the window does not fit, an output
     *                                  over {@code 2^31-1} elements, or an input scale that makes
     *                                  the requantization multiplier or scaled bias overflow
     */
    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor xq = TensorChecks.quint8PerTensor(name(), x);
        TensorChecks.engine(name(), engine);
        spec.checkInput(name(), x);
        int batch = x.dim(0);
        int h = x.dim(1);
        int w = x.dim(2);
        int outH = spec.outH(name(), h);
        int outW = spec.outW(name(), w);
        int m = batch * outH * outW;
        int cout = spec.cout();
        byte[] y = OutputArena.bytes(m * cout);
        Packed p = packed.get(engine);
        Requantization[] rq = requant.get(engine, xq.scale());
        byte[] a = x.bytes();
        int zx = xq.zeroPoint();
        long work = (long) m * cout * spec.kPerGroup();
        int nThreads = GemmSplit.threadsFor(work, Threads.resolve(out.threads()));
        switch (spec.path()) {
            case DEPTHWISE -> {
                DepthwiseKernels dw = engine.depthwise();
                int rows = batch * outH;
                if (rows > 0) {
                    // the one check of the whole call (what convRequantize would repeat per row block)
                    KernelArgs.checkDepthwiseCall(a, batch, h, w, zx, p.depthwise, spec.geometry(), "requantization",
                            rq[0].channels(), 0, rows, y.length);
                }
                if (Parallel.inline(rows, nThreads, 1)) { // one range: no capturing lambda per call
                    dw.runRequantize(a, batch, h, w, zx, p.depthwise, spec.geometry(), rq[0], 0, rows, y);
                } else {
                    Parallel.forRange(rows, nThreads, 1, (rs, re) ->
                            dw.runRequantize(a, batch, h, w, zx, p.depthwise, spec.geometry(), rq[0], rs, re, y));
                }
            }
            case POINTWISE -> {
                int cg = spec.cinPerGroup();
                int og = spec.coutPerGroup();
                if (GemmSplit.inline(m, og, cg, nThreads)) { // one block: no capturing lambda per call
                    pointwise(engine, a, zx, p, rq, y, m, 0, m, 0, og);
                } else {
                    GemmSplit.run(m, og, cg, nThreads, (rs, re, cs, ce) -> pointwise(engine, a, zx, p, rq, y, m, rs, re, cs, ce));
                }
            }
            default -> {
                Im2col.Frame f = frame(h, w, outH, outW);
                int block = spec.blockRows(m);
                // blocks sit at fixed multiples of blockRows, so every GEMM call is the same at any thread count
                int blocks = (m + block - 1) / block;
                if (Parallel.inline(blocks, nThreads, 1)) { // one range: no capturing lambda per call
                    im2colBlocks(engine, a, zx, p, rq, y, f, m, block, 0, blocks);
                } else {
                    Parallel.forRange(blocks, nThreads, 1, (bs, be) -> im2colBlocks(engine, a, zx, p, rq, y, f, m, block, bs, be));
                }
            }
        }
        return OutputTensors.quantized(y, out.qparams(), batch, outH, outW, cout);
    }

    /** Output rows {@code [rs, re)}, columns {@code [cs, ce)} of every group of a 1x1 convolution: one GEMM per group. */
    private void pointwise(KernelBackend engine, byte[] a, int zx, Packed p, Requantization[] rq, byte[] y, int m,
                           int rs, int re, int cs, int ce) {
        int cin = spec.cin();
        int cg = spec.cinPerGroup();
        int og = spec.coutPerGroup();
        int cout = spec.cout();
        for (int g = 0; g < spec.groups(); g++) {
            engine.qgemm().runRequantize(a, rs * cin + g * cg, cin, re - rs, zx, p.groups[g], cs, ce, rq[g],
                    y, rs * cout + g * og, cout);
        }
    }

    /** Row blocks {@code [bs, be)} of an im2col convolution: each block's patches, then one GEMM per group. */
    private void im2colBlocks(KernelBackend engine, byte[] a, int zx, Packed p, Requantization[] rq, byte[] y, Im2col.Frame f,
                              int m, int block, int bs, int be) {
        int k = spec.kPerGroup();
        int og = spec.coutPerGroup();
        int cout = spec.cout();
        byte[] buf = Scratch.bytes(block * k);
        int[] taps = Scratch.ints(f.taps());
        for (int r = bs * block; r < Math.min(m, be * block); r += block) {
            int rows = Math.min(block, m - r);
            for (int g = 0; g < spec.groups(); g++) {
                Im2col.u8(a, f, g, r, rows, (byte) zx, buf, taps);
                engine.qgemm().runRequantize(buf, 0, k, rows, zx, p.groups[g], 0, og, rq[g], y,
                        r * cout + g * og, cout);
            }
        }
    }

    /** The im2col frame of an {@code h x w} input: the last one when the size repeats, so that a call allocates none. */
    private Im2col.Frame frame(int h, int w, int outH, int outW) {
        Im2col.Frame f = lastFrame;
        if (f == null || f.h() != h || f.w() != w) {
            f = new Im2col.Frame(h, w, spec.cin(), outH, outW, spec);
            lastFrame = f;
        }
        return f;
    }

    /** Options of a {@link QConv2d}; output qparams are required. */
    public static final class Builder extends StaticOpBuilder<Builder> {
        private final QTensor weight;
        private final ConvWindow window;

        private Builder(QTensor weight, ConvGeometry geometry, boolean geometryGiven) {
            super(NAME);
            this.weight = weight;
            this.window = new ConvWindow(geometry, geometryGiven);
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

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Convolution groups (default 1); {@code groups == Cin == Cout} is depthwise. Checked by {@link #build()}.
         *
         * @param groups the groups, {@code > 0}, dividing {@code Cin} and {@code Cout}
         * @return this builder
         */
        public Builder groups(int groups) {
            window.groups = groups;
            return this;
        }

        /**
         * The convolution.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a null, non-qint8, empty or
         *                                  non-4-D weight, a null geometry or one whose kernel is not
         *                                  the weight's, groups {@code <= 0} or not dividing
         *                                  {@code Cout}, per-channel weight qparams not along axis 0,
         *                                  a bias of the wrong length or with NaN/infinity, missing or
         *                                  invalid output qparams
         */
        public QConv2d build() {
            return new QConv2d(this);
        }
    }
}
