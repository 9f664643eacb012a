package dev.vquant.quant;

import dev.vquant.engine.QParams;
import dev.vquant.quant.nn.Module;

/**
 * The fused float modules (PyTorch's {@code torch.nn.intrinsic}) that prepare observes as one and
 * convert turns into one quantized module: the facts about them live here, written once.
 */
final class FusedModules {
    private FusedModules() {
    }

    /** True for a fused module prepare observes as a whole (ConvReLU2d, LinearReLU, ...). */
    static boolean isFused(Module m) {
        return false;
    }

    /** The quantized module for a fused one, or null when {@code m} is not fused. */
    static Module quantized(String name, Module m, QParams.PerTensor out) {
        return null;
    }
}
