package dev.vquant.quant.nn;

import dev.vquant.ops.elementwise.FloatActivation;

/** {@code max(x, 0)}, PyTorch's {@code nn.ReLU} (element-wise, any shape). */
public final class ReLU extends Activation {

    /** The activation (no parameters). */
    public ReLU() {
        super(FloatActivation.Kind.RELU);
    }
}
