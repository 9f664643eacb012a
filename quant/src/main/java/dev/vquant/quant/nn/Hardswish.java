package dev.vquant.quant.nn;

import dev.vquant.ops.elementwise.FloatActivation;

/** {@code x * clamp(x + 3, 0, 6) / 6}, PyTorch's {@code nn.Hardswish} (element-wise, any shape). */
public final class Hardswish extends Activation {

    /** The activation (no parameters). */
    public Hardswish() {
        super(FloatActivation.Kind.HARDSWISH);
    }
}
