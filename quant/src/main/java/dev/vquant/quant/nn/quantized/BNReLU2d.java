package dev.vquant.quant.nn.quantized;

/**
 * Quantized BatchNorm2d with a fused ReLU (PyTorch's
 * {@code torch.ao.nn.intrinsic.quantized.BNReLU2d}, what convert makes of a calibrated
 * {@code nni.BNReLU2d}): the output clamps at its zero point.
 */
public final class BNReLU2d extends BatchNorm2d {
    /** See {@link BatchNorm2d#BatchNorm2d(float[], float[], float[], float[], double, double, int)}. */
    public BNReLU2d(float[] weight, float[] bias, float[] runningMean, float[] runningVar, double eps, double scale,
                    int zeroPoint) {
        super(weight, bias, runningMean, runningVar, eps, scale, zeroPoint, true);
    }
}
