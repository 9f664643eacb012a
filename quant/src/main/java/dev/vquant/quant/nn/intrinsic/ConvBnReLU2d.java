package dev.vquant.quant.nn.intrinsic;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.ReLU;

import java.util.List;

/**
 * Conv2d, BatchNorm2d, ReLU kept apart, PyTorch's {@code nni.ConvBnReLU2d}: what fusing
 * conv+bn+relu in training mode (for quantization-aware training) yields. The BN and ReLU run as
 * one pass.
 */
public final class ConvBnReLU2d extends FusedModule {

    /**
     * Groups the modules as parts 0, 1, ... (in the first one's mode).
     *
     * @param conv part 0
     * @param bn   part 1
     * @param relu part 2
     * @throws IllegalArgumentException when a module is not of the expected class
     */
    public ConvBnReLU2d(Conv2d conv, BatchNorm2d bn, ReLU relu) {
        super(List.of(Conv2d.class, BatchNorm2d.class, ReLU.class), conv, bn, relu);
    }

    /** {@return the convolution (part 0)} */
    public Conv2d conv() {
        return (Conv2d) get(0);
    }

    /** {@return the batch norm (part 1)} */
    public BatchNorm2d bn() {
        return (BatchNorm2d) get(1);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (get(1) instanceof BatchNorm2d b && get(2) instanceof ReLU) {
            return b.forward(get(0).forward(x), true);
        }
        return super.forward(x);
    }
}
