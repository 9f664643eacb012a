package dev.vquant.quant.nn.intrinsic.qat;

import dev.vquant.quant.QConfig;

/**
 * PyTorch's {@code torch.ao.nn.intrinsic.qat.LinearReLU}: {@code relu(linear(x, weight_fake_quant(weight), bias))},
 * what prepareQat swaps a fused LinearReLU for.
 */
public final class LinearReLU extends dev.vquant.quant.nn.qat.Linear {

    /**
     * Takes over the fused module's Linear with a fresh weight fake-quant of {@code qconfig}.
     *
     * @param fused   the fused float module, whose parameters this module shares
     * @param qconfig the QAT qconfig whose weight factory makes the weight fake-quant
     * @throws IllegalArgumentException when the qconfig's weight factory does not make a FakeQuantize
     */
    public LinearReLU(dev.vquant.quant.nn.intrinsic.LinearReLU fused, QConfig qconfig) {
        super(fused.linear(), qconfig);
    }

    @Override
    public boolean hasRelu() {
        return true;
    }
}
