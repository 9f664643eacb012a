package dev.vquant.quant.nn.intrinsic.qat;

import dev.vquant.quant.QConfig;

/**
 * PyTorch's {@code torch.ao.nn.intrinsic.qat.ConvReLU2d}: {@code relu(conv(x, weight_fake_quant(weight), bias))},
 * what prepareQat swaps a fused ConvReLU2d for.
 */
public final class ConvReLU2d extends dev.vquant.quant.nn.qat.Conv2d {

    /**
     * Takes over the fused module's convolution with a fresh weight fake-quant of {@code qconfig}.
     *
     * @param fused   the fused float module, whose parameters this module shares
     * @param qconfig the QAT qconfig whose weight factory makes the weight fake-quant
     * @throws IllegalArgumentException when the qconfig's weight factory does not make a FakeQuantize
     */
    public ConvReLU2d(dev.vquant.quant.nn.intrinsic.ConvReLU2d fused, QConfig qconfig) {
        super(fused.conv(), qconfig);
    }

    @Override
    public boolean hasRelu() {
        return true;
    }
}
