package dev.vquant.quant.nn.intrinsic.qat;

import dev.vquant.quant.QConfig;

/**
 * PyTorch's {@code torch.ao.nn.intrinsic.qat.ConvBnReLU2d}: {@link ConvBn2d} followed by ReLU,
 * what prepareQat swaps a fused ConvBnReLU2d for.
 */
public final class ConvBnReLU2d extends ConvBn2d {

    /**
     * Takes over the fused module's convolution and batch norm with a fresh weight fake-quant of {@code qconfig}.
     *
     * @param fused   the fused float module, whose parameters this module shares
     * @param qconfig the QAT qconfig whose weight factory makes the weight fake-quant
     * @throws IllegalArgumentException when the qconfig's weight factory does not make a FakeQuantize
     */
    public ConvBnReLU2d(dev.vquant.quant.nn.intrinsic.ConvBnReLU2d fused, QConfig qconfig) {
        super(fused.conv(), fused.bn(), qconfig);
    }

    @Override
    public boolean hasRelu() {
        return true;
    }
}
