package dev.vquant.quant.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.ConvGrad;
import dev.vquant.quant.autograd.GradTape;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * 2-D convolution, PyTorch's {@code nn.Conv2d} with zero padding: parameters
 * {@code weight [out_channels, in_channels/groups, kH, kW]} and optional {@code bias
 * [out_channels]}, initialized as PyTorch does ({@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} with
 * {@code fan_in = in_channels/groups * kH * kW}). Input {@code [N, C, H, W]} in either memory format,
 * output channels-last; runs on the engine's float kernels ({@link FloatConv2d}: depthwise,
 * pointwise or im2col GEMM), packed once and repacked only when a parameter changes.
 *
 * <pre>{@code
 * new Conv2d(16, 32, 3);                                                      // stride 1, no padding, bias
 * Conv2d.builder(16, 32, 3).stride(2).padding(1).groups(16).bias(false).build();
 * }</pre>
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int groups;
    private final ConvGeometry geometry;
    private final Parameter weight;
    private final Parameter bias;
    private volatile ReluVariants<FloatConv2d> operators = ReluVariants.empty();

    /**
     * Square kernel, stride 1, no padding, with bias, seeded from {@link Init#nextSeed()}.
     *
     * @param inChannels  the input channels ({@code in_channels})
     * @param outChannels the output channels ({@code out_channels})
     * @param kernelSize  the kernel height and width
     * @throws IllegalArgumentException for a non-positive size
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    private Conv2d(Builder b) {
        if (b.in <= 0 || b.out <= 0) {
            throw new IllegalArgumentException("Conv2d: in_channels and out_channels must be > 0, got " + b.in + " and " + b.out);
        }
        if (b.groups <= 0 || b.in % b.groups != 0 || b.out % b.groups != 0) {
            throw new IllegalArgumentException("Conv2d: in_channels " + b.in + " and out_channels " + b.out
                    + " must both be divisible by groups " + b.groups);
        }
        this.inChannels = b.in;
        this.outChannels = b.out;
        this.groups = b.groups;
        try {
            this.geometry = new ConvGeometry(b.kh, b.kw, b.sh, b.sw, b.ph, b.pw, b.dh, b.dw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Conv2d: " + e.getMessage(), e);
        }
        int fanIn = b.in / b.groups * b.kh * b.kw;
        SplittableRandom random = new SplittableRandom(b.seed == null ? Init.nextSeed() : b.seed);
        this.weight = registerParameter("weight", Parameter.zeros(b.out, b.in / b.groups, b.kh, b.kw));
        Init.kaimingUniform(weight.data(), fanIn, random);
        this.bias = registerParameter("bias", b.bias ? Parameter.zeros(b.out) : null);
        if (b.bias) {
            Init.kaimingUniform(bias.data(), fanIn, random);
        }
    }

    /**
     * A builder for {@code Conv2d(inChannels, outChannels, kernelSize)} with PyTorch's defaults.
     *
     * @param inChannels  the input channels ({@code in_channels})
     * @param outChannels the output channels ({@code out_channels})
     * @param kernelSize  the kernel height and width
     * @return a new builder
     */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize, kernelSize);
    }

    /**
     * A builder with a rectangular {@code kernelH x kernelW} kernel.
     *
     * @param inChannels  the input channels ({@code in_channels})
     * @param outChannels the output channels ({@code out_channels})
     * @param kernelH     the kernel height
     * @param kernelW     the kernel width
     * @return a new builder
     */
    public static Builder builder(int inChannels, int outChannels, int kernelH, int kernelW) {
        return new Builder(inChannels, outChannels, kernelH, kernelW);
    }

    /** Conv2d's optional arguments, PyTorch's defaults until set. */
    public static final class Builder {
        private final int in;
        private final int out;
        private final int kh;
        private final int kw;
        private int sh = 1;
        private int sw = 1;
        private int ph;
        private int pw;
        private int dh = 1;
        private int dw = 1;
        private int groups = 1;
        private boolean bias = true;
        private Long seed;

        private Builder(int in, int out, int kh, int kw) {
            this.in = in;
            this.out = out;
            this.kh = kh;
            this.kw = kw;
        }

        /**
         * {@code stride} (default 1).
         *
         * @param s the stride along height and width
         * @return this builder
         */
        public Builder stride(int s) {
            return stride(s, s);
        }

        /**
         * Separate vertical and horizontal strides.
         *
         * @param h the vertical stride
         * @param w the horizontal stride
         * @return this builder
         */
        public Builder stride(int h, int w) {
            sh = h;
            sw = w;
            return this;
        }

        /**
         * Zero padding on each side (default 0).
         *
         * @param p the zeros added on each side
         * @return this builder
         */
        public Builder padding(int p) {
            return padding(p, p);
        }

        /**
         * Separate vertical and horizontal zero padding.
         *
         * @param h the zeros added above and below
         * @param w the zeros added left and right
         * @return this builder
         */
        public Builder padding(int h, int w) {
            ph = h;
            pw = w;
            return this;
        }

        /**
         * {@code dilation} (default 1).
         *
         * @param d the spacing of kernel taps along height and width
         * @return this builder
         */
        public Builder dilation(int d) {
            return dilation(d, d);
        }

        /**
         * Separate vertical and horizontal dilation.
         *
         * @param h the vertical spacing of kernel taps
         * @param w the horizontal spacing of kernel taps
         * @return this builder
         */
        public Builder dilation(int h, int w) {
            dh = h;
            dw = w;
            return this;
        }

        /**
         * {@code groups} (default 1; {@code in_channels} for depthwise).
         *
         * @param g the number of groups, dividing both channel counts
         * @return this builder
         */
        public Builder groups(int g) {
            groups = g;
            return this;
        }

        /**
         * Whether to learn a bias (default true).
         *
         * @param b whether the convolution has a bias
         * @return this builder
         */
        public Builder bias(boolean b) {
            bias = b;
            return this;
        }

        /**
         * Seed of the initial weights (default: {@link Init#nextSeed()} at build time).
         *
         * @param s the seed
         * @return this builder
         */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /**
         * A new convolution, weights drawn as PyTorch's {@code reset_parameters} draws them.
         *
         * @return the convolution
         * @throws IllegalArgumentException for non-positive sizes, strides or dilations, negative
         *                                  padding, or channels not divisible by groups
         */
        public Conv2d build() {
            return new Conv2d(this);
        }
    }

    /**
     * A builder with this convolution's geometry, groups and bias setting (what fusion copies).
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return builder(inChannels, outChannels, geometry.kernelH(), geometry.kernelW())
                .stride(geometry.strideH(), geometry.strideW()).padding(geometry.padH(), geometry.padW())
                .dilation(geometry.dilationH(), geometry.dilationW()).groups(groups).bias(bias != null);
    }

    /** {@return {@code in_channels}} */
    public int inChannels() {
        return inChannels;
    }

    /** {@return {@code out_channels}} */
    public int outChannels() {
        return outChannels;
    }

    /** {@return {@code groups}} */
    public int groups() {
        return groups;
    }

    /** {@return the kernel, stride, padding and dilation} */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** {@return {@code weight [out_channels, in_channels/groups, kH, kW]}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return {@code bias [out_channels]}, or null} */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, false);
    }

    /**
     * The output, followed by ReLU when {@code relu} (in the kernels' output stage: what the fused
     * {@code ConvReLU2d} runs).
     *
     * @param x    the float input {@code [N, in_channels, H, W]}
     * @param relu whether to apply ReLU
     * @return the output {@code [N, out_channels, OH, OW]}, channels-last in memory
     * @throws IllegalArgumentException when x is not {@code [N, in_channels, H, W]}, too small for
     *                                  the kernel, or quantized
     */
    public Tensor forward(Tensor x, boolean relu) {
        FloatTensor in = x.engineFloat(this);
        if (x.rank() != 4 || x.dim(1) != inChannels) {
            throw new IllegalArgumentException(this + ": expected an input [N, " + inChannels + ", H, W], got shape "
                    + Arrays.toString(x.shape()));
        }
        ReluVariants<FloatConv2d> ops = operators.refresh(relu, this::newOperator, weight, bias);
        operators = ops;
        FloatConv2d op = ops.operator(relu);
        Tensor y;
        try {
            y = Tensor.fromEngine(op.forward(in));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + " on input " + Arrays.toString(x.shape()) + ": " + e.getMessage(), e);
        }
        GradTape tape = GradTape.recording();
        if (tape != null) {
            ConvGrad.record(tape, x, y, tape.leaf(weight), bias == null ? null : tape.leaf(bias), geometry, groups, relu);
        }
        return y;
    }

    private FloatConv2d newOperator(boolean relu) {
        return FloatConv2d.builder(FloatTensor.of(weight.data(), weight.shape()), geometry)
                .groups(groups).bias(bias == null ? null : bias.data()).relu(relu).build();
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(PyRepr.tuple(geometry.kernelH(), geometry.kernelW()))
                .append(", stride=").append(PyRepr.tuple(geometry.strideH(), geometry.strideW()));
        if (geometry.padH() != 0 || geometry.padW() != 0) {
            s.append(", padding=").append(PyRepr.tuple(geometry.padH(), geometry.padW()));
        }
        if (geometry.dilationH() != 1 || geometry.dilationW() != 1) {
            s.append(", dilation=").append(PyRepr.tuple(geometry.dilationH(), geometry.dilationW()));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }
}
