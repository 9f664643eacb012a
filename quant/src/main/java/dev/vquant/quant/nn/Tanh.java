package dev.vquant.quant.nn;

import dev.vquant.ops.elementwise.FloatActivation;

/** PyTorch's {@code nn.Tanh} (element-wise, any shape, vectorized; within 3 ulps of tanh). */
public final class Tanh extends Activation {

    /** The activation (no parameters). */
    public Tanh() {
        super(FloatActivation.Kind.TANH);
    }
}
