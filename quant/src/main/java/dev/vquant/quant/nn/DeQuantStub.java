package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;

/**
 * Marks where a quantized model's values return to float, PyTorch's {@code DeQuantStub}: the
 * identity while the model is float; convert replaces it with a DeQuantize step.
 */
public final class DeQuantStub extends Module {

    /** A stub to place where the model returns to float; it has no state. */
    public DeQuantStub() {
    }

    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
