package dev.vquant.quant.nn;

import dev.vquant.ops.elementwise.FloatActivation;

/** {@code min(max(x, 0), 6)}, PyTorch's {@code nn.ReLU6} (element-wise, any shape). */
public final class ReLU6 extends Activation {

    /** The activation (no parameters). */
    public ReLU6() {
        super(FloatActivation.Kind.RELU6);
    }
}
