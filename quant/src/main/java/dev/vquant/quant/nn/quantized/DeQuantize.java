package dev.vquant.quant.nn.quantized;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

/**
 * Dequantizes (PyTorch's {@code torch.ao.nn.quantized.DeQuantize}, what a DeQuantStub becomes):
 * {@code (q - zero_point) * scale} in float32, keeping the memory format.
 */
public final class DeQuantize extends Module {
    /** A dequantizer; it has no state. */
    public DeQuantize() {
    }

    @Override
    public Tensor forward(Tensor x) {
        x.engineQuantized("DeQuantize");
        return x.dequantize();
    }
}
