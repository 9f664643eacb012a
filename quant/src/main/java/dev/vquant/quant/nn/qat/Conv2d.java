package dev.vquant.quant.nn.qat;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.ConvGrad;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.qat.FakeQuantize;

import java.util.Arrays;
import java.util.Objects;

/**
 * PyTorch's {@code torch.ao.nn.qat.Conv2d}: a convolution whose weight passes through
 * {@code weight_fake_quant} (the qconfig's weight fake-quant) on every forward, what prepareQat
 * swaps a Conv2d for. State dict: {@code weight}, {@code bias} (when present),
 * {@code weight_fake_quant.*}. Subclasses fuse a ReLU or a BatchNorm2d ({@code nn.intrinsic.qat}).
 */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int groups;
    private final ConvGeometry geometry;
    private final Parameter weight;
    private final Parameter bias;
    private final Child weightFakeQuant;

    /**
     * Takes over {@code conv}'s parameters (shared, as PyTorch's {@code from_float} does) with a
     * fresh weight fake-quant of {@code qconfig}.
     *
     * @param conv    the float convolution whose parameters this module shares
     * @param qconfig the QAT qconfig whose weight factory makes the weight fake-quant
     * @throws IllegalArgumentException when the qconfig's weight factory does not make a FakeQuantize
     */
    public Conv2d(dev.vquant.quant.nn.Conv2d conv, QConfig qconfig) {
        Objects.requireNonNull(conv, "conv");
        Objects.requireNonNull(qconfig, "qconfig");
        this.inChannels = conv.inChannels();
        this.outChannels = conv.outChannels();
        this.groups = conv.groups();
        this.geometry = conv.geometry();
        this.weight = registerParameter("weight", conv.weight());
        this.bias = registerParameter("bias", conv.bias());
        this.weightFakeQuant = registerModule("weight_fake_quant", fakeQuant(qconfig, "weight"));
        setQConfig(qconfig);
        train(conv.isTraining());
    }

    /**
     * The qconfig's weight fake-quant, refusing plain observers (a PTQ qconfig).
     *
     * @param qconfig the QAT qconfig
     * @param what    which of the qconfig's factories is asked for (e.g. {@code "weight"}), named in the exception
     * @return a new fake-quant from the qconfig's weight factory
     * @throws IllegalArgumentException when the factory makes something other than a FakeQuantize
     */
    public static FakeQuantize fakeQuant(QConfig qconfig, String what) {
        Object o = qconfig.weight().get();
        if (o instanceof FakeQuantize f) {
            return f;
        }
        throw new IllegalArgumentException("prepareQat: the qconfig's " + what + " factory makes " + o.getClass().getSimpleName()
                + ", not a FakeQuantize; use QConfig.defaultQatFor(engine)");
    }

    /** {@return {@code in_channels}} */
    public final int inChannels() {
        return inChannels;
    }

    /** {@return {@code out_channels}} */
    public final int outChannels() {
        return outChannels;
    }

    /** {@return {@code weight [out_channels, in_channels/groups, kH, kW]}} */
    public final Parameter weight() {
        return weight;
    }

    /** {@return {@code bias [out_channels]}, or null} */
    public final Parameter bias() {
        return bias;
    }

    /** {@return the weight fake-quant now registered} */
    public final FakeQuantize weightFakeQuant() {
        return (FakeQuantize) weightFakeQuant.get();
    }

    /** {@return whether the output passes through ReLU (the fused ...ReLU2d forms)} */
    public boolean hasRelu() {
        return false;
    }

    /** {@code conv(x, weight_fake_quant(weight), bias)}, then ReLU when fused. */
    @Override
    public Tensor forward(Tensor x) {
        float[] w = weightFakeQuant().forward(FloatTensor.of(weight.data().clone(), weight.shape())).data();
        Tensor y = convolve(x, w, bias == null ? null : bias.data(), hasRelu());
        GradTape tape = GradTape.recording();
        if (tape != null) {
            Tensor quantized = Tensor.of(w, weight.shape());
            weightFakeQuant().recordBackward(tape, tape.leaf(weight), quantized);
            recordConvolution(tape, x, y, quantized, bias == null ? null : tape.leaf(bias), hasRelu());
        }
        return y;
    }

    /**
     * Records on {@code tape} that {@link #convolve} made {@code y} from {@code x} and the weight and bias tensors.
     *
     * @param tape the tape to record on
     * @param x    the convolution's input
     * @param y    its output
     * @param w    the weight tensor it used (a leaf or a recorded tensor)
     * @param b    the bias tensor it used, or null
     * @param relu whether ReLU followed
     */
    protected final void recordConvolution(GradTape tape, Tensor x, Tensor y, Tensor w, Tensor b, boolean relu) {
        ConvGrad.record(tape, x, y, w, b, geometry, groups, relu);
    }

    /**
     * The convolution of {@code x} with this module's geometry and the given weight and bias.
     *
     * @param x    the input {@code [N, in_channels, H, W]}
     * @param w    the weight {@code [out_channels, in_channels/groups, kH, kW]} row-major
     * @param b    the bias {@code [out_channels]}, or null
     * @param relu whether to apply ReLU
     * @return the output {@code [N, out_channels, outH, outW]}
     * @throws IllegalArgumentException when x is not {@code [N, in_channels, H, W]} or is quantized
     */
    protected final Tensor convolve(Tensor x, float[] w, float[] b, boolean relu) {
        FloatTensor in = x.engineFloat(this);
        if (x.rank() != 4 || x.dim(1) != inChannels) {
            throw new IllegalArgumentException(this + ": expected an input [N, " + inChannels + ", H, W], got shape "
                    + Arrays.toString(x.shape()));
        }
        FloatConv2d op = FloatConv2d.builder(FloatTensor.of(w, weight.shape()), geometry).groups(groups).bias(b).relu(relu).build();
        return Tensor.fromEngine(op.forward(in));
    }

    /**
     * The float convolution this module stands for ({@code to_float}), with copies of the
     * weight and bias that convert quantizes (BN-fused subclasses fold their BN first).
     *
     * @return a new float Conv2d
     */
    public dev.vquant.quant.nn.Conv2d toFloat() {
        return floatConv(weight.data(), bias == null ? null : bias.data());
    }

    /**
     * A float Conv2d of this geometry holding copies of {@code w} and {@code b} (no bias when null).
     *
     * @param w the weight {@code [out_channels, in_channels/groups, kH, kW]} row-major
     * @param b the bias {@code [out_channels]}, or null
     * @return a new float Conv2d
     */
    protected final dev.vquant.quant.nn.Conv2d floatConv(float[] w, float[] b) {
        dev.vquant.quant.nn.Conv2d c = dev.vquant.quant.nn.Conv2d.builder(inChannels, outChannels, geometry.kernelH(), geometry.kernelW())
                .stride(geometry.strideH(), geometry.strideW()).padding(geometry.padH(), geometry.padW())
                .dilation(geometry.dilationH(), geometry.dilationW()).groups(groups).bias(b != null).seed(0).build();
        c.weight().copyFrom(w.clone());
        if (b != null) {
            c.bias().copyFrom(b.clone());
        }
        return c;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + geometry.kernelH() + ", " + geometry.kernelW() + "), stride=("
                + geometry.strideH() + ", " + geometry.strideW() + ")" + (groups != 1 ? ", groups=" + groups : "")
                + (bias == null ? ", bias=False" : "");
    }
}
