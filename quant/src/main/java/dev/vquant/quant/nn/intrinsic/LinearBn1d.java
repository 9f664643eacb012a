package dev.vquant.quant.nn.intrinsic;

import dev.vquant.quant.nn.BatchNorm1d;
import dev.vquant.quant.nn.Linear;

import java.util.List;

/**
 * Linear then BatchNorm1d kept apart, PyTorch's {@code nni.LinearBn1d}: what fusing linear+bn in
 * training mode (for quantization-aware training) yields.
 */
public final class LinearBn1d extends FusedModule {

    /**
     * Groups the modules as parts 0, 1, ... (in the first one's mode).
     *
     * @param linear part 0
     * @param bn     part 1
     * @throws IllegalArgumentException when a module is not of the expected class
     */
    public LinearBn1d(Linear linear, BatchNorm1d bn) {
        super(List.of(Linear.class, BatchNorm1d.class), linear, bn);
    }

    /** {@return the linear layer (part 0)} */
    public Linear linear() {
        return (Linear) get(0);
    }

    /** {@return the batch norm (part 1)} */
    public BatchNorm1d bn() {
        return (BatchNorm1d) get(1);
    }
}
