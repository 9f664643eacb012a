package dev.vquant.quant.nn;

import dev.vquant.ops.elementwise.FloatActivation;

/** {@code 1 / (1 + exp(-x))}, PyTorch's {@code nn.Sigmoid} (element-wise, any shape). */
public final class Sigmoid extends Activation {

    /** The activation (no parameters). */
    public Sigmoid() {
        super(FloatActivation.Kind.SIGMOID);
    }
}
