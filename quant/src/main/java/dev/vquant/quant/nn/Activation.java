package dev.vquant.quant.nn;

import dev.vquant.ops.elementwise.FloatActivation;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.Elementwise;
import dev.vquant.quant.autograd.GradTape;

/**
 * An element-wise activation on {@link FloatActivation}, applied where the values lie (any rank,
 * either memory format, which the output keeps). No parameters.
 */
public abstract class Activation extends Module {
    private final FloatActivation.Kind kind;
    private final FloatActivation op;

    Activation(FloatActivation.Kind kind) {
        this.kind = kind;
        this.op = new FloatActivation(kind, 0);
    }

    /** @throws IllegalArgumentException when x is quantized */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x.withStorage(op.forward(x.storageFloat(this)));
        GradTape tape = GradTape.recording();
        if (tape != null) {
            Elementwise.activation(tape, kind, x, y);
        }
        return y;
    }
}
