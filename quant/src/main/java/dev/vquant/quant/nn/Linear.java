package dev.vquant.quant.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.autograd.LinearGrad;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code y = x W^T + b} over the last dimension, PyTorch's {@code nn.Linear}: parameters
 * {@code weight [out_features, in_features]} and optional {@code bias [out_features]}, initialized
 * as PyTorch does ({@code U(-1/sqrt(in_features), 1/sqrt(in_features))}). Runs on the engine's
 * float GEMM ({@link FloatLinear}), packed once and repacked only when a parameter changes.
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private volatile ReluVariants<FloatLinear> operators = ReluVariants.empty();

    /**
     * With bias, initialized from the process-wide seed sequence ({@link Init#nextSeed()}).
     *
     * @param inFeatures  the input features ({@code in_features})
     * @param outFeatures the output features ({@code out_features})
     * @throws IllegalArgumentException when a size is not positive
     */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /**
     * Initialized from the process-wide seed sequence ({@link Init#nextSeed()}).
     *
     * @param inFeatures  the input features ({@code in_features})
     * @param outFeatures the output features ({@code out_features})
     * @param bias        whether to learn an additive bias
     * @throws IllegalArgumentException when a size is not positive
     */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Init.nextSeed());
    }

    /**
     * PyTorch's {@code nn.Linear(in_features, out_features, bias)}, weight and bias drawn from {@code U(-1/sqrt(in), 1/sqrt(in))} as its {@code reset_parameters} draws them.
     *
     * @param inFeatures  the input features ({@code in_features})
     * @param outFeatures the output features ({@code out_features})
     * @param bias whether to learn an additive bias
     * @param seed seed of the initial weights and bias (same seed, same values)
     * @throws IllegalArgumentException when a size is not positive
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, long seed) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be > 0, got " + inFeatures + " and "
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        SplittableRandom random = new SplittableRandom(seed);
        this.weight = registerParameter("weight", Parameter.zeros(outFeatures, inFeatures));
        Init.kaimingUniform(weight.data(), inFeatures, random);
        this.bias = registerParameter("bias", bias ? Parameter.zeros(outFeatures) : null);
        if (bias) {
            Init.kaimingUniform(this.bias.data(), inFeatures, random);
        }
    }

    /** {@return {@code in_features}} */
    public int inFeatures() {
        return inFeatures;
    }

    /** {@return {@code out_features}} */
    public int outFeatures() {
        return outFeatures;
    }

    /** {@return {@code weight [out_features, in_features]}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return {@code bias [out_features]}, or null} */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, false);
    }

    /**
     * The output, followed by ReLU when {@code relu} (in the GEMM's output stage: what the fused
     * {@code LinearReLU} runs).
     *
     * @param x    the float input {@code [..., in_features]}
     * @param relu whether to apply ReLU
     * @return the output {@code [..., out_features]}
     * @throws IllegalArgumentException when the last dimension is not in_features, or x is quantized
     */
    public Tensor forward(Tensor x, boolean relu) {
        FloatTensor in = x.contiguousFloat(this);
        if (x.rank() < 1 || x.dim(x.rank() - 1) != inFeatures) {
            throw new IllegalArgumentException(this + ": expected an input [*, " + inFeatures + "], got shape "
                    + Arrays.toString(x.shape()));
        }
        ReluVariants<FloatLinear> ops = operators.refresh(relu, this::newOperator, weight, bias);
        operators = ops;
        FloatLinear op = ops.operator(relu);
        Tensor y = Tensor.fromEngine(op.forward(in));
        GradTape tape = GradTape.recording();
        if (tape != null) {
            LinearGrad.record(tape, x, y, tape.leaf(weight), bias == null ? null : tape.leaf(bias), relu);
        }
        return y;
    }

    private FloatLinear newOperator(boolean relu) {
        return FloatLinear.builder(FloatTensor.of(weight.data(), outFeatures, inFeatures))
                .bias(bias == null ? null : bias.data()).relu(relu).build();
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + PyRepr.bool(bias != null);
    }
}
