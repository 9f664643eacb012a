package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;

/**
 * Quantized Linear with a fused ReLU (PyTorch's {@code torch.ao.nn.intrinsic.quantized.LinearReLU}):
 * the output clamps at its zero point, in the same requantization step.
 */
public final class LinearReLU extends Linear {
    /**
     * A quantized Linear followed by ReLU, with the arguments of
     * {@link Linear#Linear(QTensor, float[], double, int)}.
     *
     * @param weight    qint8 {@code [out_features, in_features]}
     * @param bias      float, one per output feature, or null
     * @param scale     output scale
     * @param zeroPoint output zero point (quint8)
     * @throws IllegalArgumentException as the Linear constructor
     */
    public LinearReLU(QTensor weight, float[] bias, double scale, int zeroPoint) {
        super(weight, bias, scale, zeroPoint, true);
    }
}
