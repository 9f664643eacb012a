package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;

/**
 * Quantized Linear with a fused ReLU (PyTorch's {@code torch.ao.nn.intrinsic.quantized.LinearReLU}):
 * the output clamps at its zero point, in the same requantization step.
 */
public final class LinearReLU extends Linear {
    /** See {@link Linear#Linear(QTensor, float[], double, int)}. */
    public LinearReLU(QTensor weight, float[] bias, double scale, int zeroPoint) {
        super(weight, bias, scale, zeroPoint, true);
    }
}
