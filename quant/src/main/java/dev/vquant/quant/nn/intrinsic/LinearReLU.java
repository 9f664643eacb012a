package dev.vquant.quant.nn.intrinsic;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.ReLU;

import java.util.List;

/** Linear then ReLU, PyTorch's {@code nni.LinearReLU}; runs as one GEMM whose output stage applies the ReLU. */
public final class LinearReLU extends FusedModule {

    /**
     * Groups the modules as parts 0, 1, ... (in the first one's mode).
     *
     * @param linear part 0
     * @param relu   part 1
     * @throws IllegalArgumentException when a module is not of the expected class
     */
    public LinearReLU(Linear linear, ReLU relu) {
        super(List.of(Linear.class, ReLU.class), linear, relu);
    }

    /** {@return the linear layer (part 0)} */
    public Linear linear() {
        return (Linear) get(0);
    }

    @Override
    public Tensor forward(Tensor x) {
        return get(0) instanceof Linear l && get(1) instanceof ReLU ? l.forward(x, true) : super.forward(x);
    }
}
