package dev.vquant.quant.nn;

import dev.vquant.ops.core.FloatOperator;
import dev.vquant.quant.Tensor;

import java.util.Arrays;

/** Runs a 4-D float pooling operator for a module, with errors in the module's terms. */
final class Pooling {
    private Pooling() {
    }

    static Tensor run(Module module, FloatOperator op, Tensor x) {
        String who = module.toString();
        if (x.rank() != 4) {
            throw new IllegalArgumentException(who + ": expected a 4-D input [N, C, H, W], got shape " + Arrays.toString(x.shape()));
        }
        try {
            return Tensor.fromEngine(op.forward(x.engineFloat(who)));
        } catch (IllegalArgumentException e) {
            if (x.isQuantized()) {
                throw e;
            }
            throw new IllegalArgumentException(who + " on input " + Arrays.toString(x.shape()) + ": " + e.getMessage(), e);
        }
    }
}
