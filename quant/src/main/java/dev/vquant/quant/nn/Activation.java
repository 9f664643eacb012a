package dev.vquant.quant.nn;

import dev.vquant.ops.elementwise.FloatActivation;
import dev.vquant.quant.Tensor;

/**
 * An element-wise activation on {@link FloatActivation}, applied where the values lie (any rank,
 * either memory format, which the output keeps). No parameters.
 */
public abstract class Activation extends Module {
    private final FloatActivation op;

    Activation(FloatActivation.Kind kind) {
        this.op = new FloatActivation(kind, 0);
    }

    /** @throws IllegalArgumentException when x is quantized */
    @Override
    public Tensor forward(Tensor x) {
        return x.withStorage(op.forward(x.storageFloat(toString())));
    }
}
