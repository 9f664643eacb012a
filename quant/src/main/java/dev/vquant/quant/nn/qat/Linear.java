package dev.vquant.quant.nn.qat;

import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.autograd.LinearGrad;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.qat.FakeQuantize;

import java.util.Arrays;
import java.util.Objects;

/**
 * PyTorch's {@code torch.ao.nn.qat.Linear}: {@code linear(x, weight_fake_quant(weight), bias)},
 * what prepareQat swaps a Linear for. State dict: {@code weight}, {@code bias},
 * {@code weight_fake_quant.*}. {@link dev.vquant.quant.nn.intrinsic.qat.LinearReLU} adds the ReLU.
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private final Child weightFakeQuant;

    /**
     * Takes over {@code linear}'s parameters with a fresh weight fake-quant of {@code qconfig}.
     *
     * @param linear  the float Linear whose parameters this module shares
     * @param qconfig the QAT qconfig whose weight factory makes the weight fake-quant
     * @throws IllegalArgumentException when the qconfig's weight factory does not make a FakeQuantize
     */
    public Linear(dev.vquant.quant.nn.Linear linear, QConfig qconfig) {
        Objects.requireNonNull(linear, "linear");
        Objects.requireNonNull(qconfig, "qconfig");
        this.inFeatures = linear.inFeatures();
        this.outFeatures = linear.outFeatures();
        this.weight = registerParameter("weight", linear.weight());
        this.bias = registerParameter("bias", linear.bias());
        this.weightFakeQuant = registerModule("weight_fake_quant", Conv2d.fakeQuant(qconfig, "weight"));
        setQConfig(qconfig);
        train(linear.isTraining());
    }

    /** {@return the weight fake-quant now registered} */
    public final FakeQuantize weightFakeQuant() {
        return (FakeQuantize) weightFakeQuant.get();
    }

    /** {@return whether the output passes through ReLU} */
    public boolean hasRelu() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        FloatTensor in = x.contiguousFloat(this);
        if (x.rank() < 1 || x.dim(x.rank() - 1) != inFeatures) {
            throw new IllegalArgumentException(this + ": expected an input [*, " + inFeatures + "], got shape " + Arrays.toString(x.shape()));
        }
        float[] w = weightFakeQuant().forward(FloatTensor.of(weight.data().clone(), weight.shape())).data();
        FloatLinear op = FloatLinear.builder(FloatTensor.of(w, outFeatures, inFeatures))
                .bias(bias == null ? null : bias.data()).relu(hasRelu()).build();
        Tensor y = Tensor.fromEngine(op.forward(in));
        GradTape tape = GradTape.recording();
        if (tape != null) {
            Tensor quantized = Tensor.of(w, outFeatures, inFeatures);
            weightFakeQuant().recordBackward(tape, tape.leaf(weight), quantized);
            LinearGrad.record(tape, x, y, quantized, bias == null ? null : tape.leaf(bias), hasRelu());
        }
        return y;
    }

    /**
     * The float Linear this module stands for ({@code to_float}), with copies of weight and bias.
     *
     * @return a new float Linear
     */
    public dev.vquant.quant.nn.Linear toFloat() {
        dev.vquant.quant.nn.Linear l = new dev.vquant.quant.nn.Linear(inFeatures, outFeatures, bias != null, 0);
        l.weight().copyFrom(weight.data().clone());
        if (bias != null) {
            l.bias().copyFrom(bias.data().clone());
        }
        return l;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias == null ? "False" : "True");
    }
}
