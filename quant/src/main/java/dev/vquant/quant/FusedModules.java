package dev.vquant.quant;

import dev.vquant.engine.QParams;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.intrinsic.BNReLU2d;
import dev.vquant.quant.nn.intrinsic.ConvReLU2d;
import dev.vquant.quant.nn.intrinsic.FusedModule;
import dev.vquant.quant.nn.intrinsic.LinearReLU;

/**
 * The fused float modules (PyTorch's {@code torch.nn.intrinsic}) that prepare observes as one and
 * convert turns into one quantized module: the facts about them live here, written once.
 * ConvBn2d, ConvBnReLU2d and LinearBn1d exist only in training mode (QAT): convert reports them
 * as left float.
 */
final class FusedModules {
    private FusedModules() {
    }

    /** True for a fused module prepare observes as a whole. */
    static boolean isFused(Module m) {
        return m instanceof FusedModule;
    }

    /** The quantized module for a fused one, or null when there is none. */
    static Module quantized(String name, Module m, QuantizedValues values, QParams.PerTensor out) {
        if (m instanceof ConvReLU2d c) {
            return Quantize.quantizedConv(name, values, c.conv(), out, true);
        }
        if (m instanceof LinearReLU l) {
            return Quantize.quantizedLinear(name, values, l.linear(), out, true);
        }
        if (m instanceof BNReLU2d b) {
            return Quantize.quantizedBatchNorm(name, values, b.bn(), out, true);
        }
        return null;
    }
}
