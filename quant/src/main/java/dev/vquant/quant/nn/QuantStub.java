package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;

/**
 * Marks where a model's float input becomes quantized, PyTorch's {@code QuantStub}: the identity
 * while the model is float; prepare observes its output and convert replaces it with a Quantize
 * step using those qparams.
 */
public final class QuantStub extends Module {

    /** A stub to place where the model's float input is to be quantized; it has no state. */
    public QuantStub() {
    }

    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
