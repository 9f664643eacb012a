package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;

/**
 * Quantized 2-D convolution with a fused ReLU (PyTorch's
 * {@code torch.ao.nn.intrinsic.quantized.ConvReLU2d}): the output clamps at its zero point.
 */
public final class ConvReLU2d extends Conv2d {
    /** See {@link Conv2d#Conv2d(QTensor, float[], int[], int[], int[], int, double, int)}. */
    public ConvReLU2d(QTensor weight, float[] bias, int[] stride, int[] padding, int[] dilation, int groups, double scale,
                      int zeroPoint) {
        super(weight, bias, stride, padding, dilation, groups, scale, zeroPoint, true);
    }
}
