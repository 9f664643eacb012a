package dev.vquant.quant.nn.intrinsic;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.ReLU;

import java.util.List;

/** BatchNorm2d then ReLU, PyTorch's {@code nni.BNReLU2d}; runs as one pass (the ReLU clamps the affine map). */
public final class BNReLU2d extends FusedModule {

    /**
     * Groups the modules as parts 0, 1, ... (in the first one's mode).
     *
     * @param bn   part 0
     * @param relu part 1
     * @throws IllegalArgumentException when a module is not of the expected class
     */
    public BNReLU2d(BatchNorm2d bn, ReLU relu) {
        super(List.of(BatchNorm2d.class, ReLU.class), bn, relu);
    }

    /** {@return the batch norm (part 0)} */
    public BatchNorm2d bn() {
        return (BatchNorm2d) get(0);
    }

    @Override
    public Tensor forward(Tensor x) {
        return get(0) instanceof BatchNorm2d b && get(1) instanceof ReLU ? b.forward(x, true) : super.forward(x);
    }
}
