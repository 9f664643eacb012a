package dev.vquant.quant.nn.intrinsic;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.ReLU;

import java.util.List;

/**
 * Conv2d then ReLU, PyTorch's {@code nni.ConvReLU2d}: what fusing conv+relu, or conv+bn+relu in
 * eval mode (BN folded into the convolution), yields. Runs as one convolution whose output stage
 * applies the ReLU.
 */
public final class ConvReLU2d extends FusedModule {

    /**
     * Groups the modules as parts 0, 1, ... (in the first one's mode).
     *
     * @param conv part 0
     * @param relu part 1
     * @throws IllegalArgumentException when a module is not of the expected class
     */
    public ConvReLU2d(Conv2d conv, ReLU relu) {
        super(List.of(Conv2d.class, ReLU.class), conv, relu);
    }

    /** {@return the convolution (part 0)} */
    public Conv2d conv() {
        return (Conv2d) get(0);
    }

    @Override
    public Tensor forward(Tensor x) {
        return get(0) instanceof Conv2d c && get(1) instanceof ReLU ? c.forward(x, true) : super.forward(x);
    }
}
