package dev.vquant.quant.nn.intrinsic;

import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;

import java.util.List;

/**
 * Conv2d then BatchNorm2d kept apart, PyTorch's {@code nni.ConvBn2d}: what fusing conv+bn in
 * training mode (for quantization-aware training) yields; the BN keeps learning its statistics
 * until QAT folds it.
 */
public final class ConvBn2d extends FusedModule {

    /**
     * Groups the modules as parts 0, 1, ... (in the first one's mode).
     *
     * @param conv part 0
     * @param bn   part 1
     * @throws IllegalArgumentException when a module is not of the expected class
     */
    public ConvBn2d(Conv2d conv, BatchNorm2d bn) {
        super(List.of(Conv2d.class, BatchNorm2d.class), conv, bn);
    }

    /** {@return the convolution (part 0)} */
    public Conv2d conv() {
        return (Conv2d) get(0);
    }

    /** {@return the batch norm (part 1)} */
    public BatchNorm2d bn() {
        return (BatchNorm2d) get(1);
    }
}
