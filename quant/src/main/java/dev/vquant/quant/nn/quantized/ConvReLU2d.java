package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;

/**
 * Quantized 2-D convolution with a fused ReLU (PyTorch's
 * {@code torch.ao.nn.intrinsic.quantized.ConvReLU2d}): the output clamps at its zero point.
 */
public final class ConvReLU2d extends Conv2d {
    /**
     * A quantized convolution followed by ReLU, with the arguments of
     * {@link Conv2d#Conv2d(QTensor, float[], int[], int[], int[], int, double, int)}.
     *
     * @param weight    qint8 {@code [Cout, Cin/groups, kh, kw]} in PyTorch's order
     * @param bias      float, one per output channel, or null
     * @param stride    {@code [sh, sw]}
     * @param padding   {@code [ph, pw]} (zeros)
     * @param dilation  {@code [dh, dw]}
     * @param groups    input channel groups ({@code Cin} for depthwise)
     * @param scale     output scale
     * @param zeroPoint output zero point (quint8)
     * @throws IllegalArgumentException as the Conv2d constructor
     */
    public ConvReLU2d(QTensor weight, float[] bias, int[] stride, int[] padding, int[] dilation, int groups, double scale,
                      int zeroPoint) {
        super(weight, bias, stride, padding, dilation, groups, scale, zeroPoint, true);
    }
}
