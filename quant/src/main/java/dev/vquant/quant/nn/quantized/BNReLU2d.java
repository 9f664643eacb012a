package dev.vquant.quant.nn.quantized;

/**
 * Quantized BatchNorm2d with a fused ReLU (PyTorch's
 * {@code torch.ao.nn.intrinsic.quantized.BNReLU2d}, what convert makes of a calibrated
 * {@code nni.BNReLU2d}): the output clamps at its zero point.
 */
public final class BNReLU2d extends BatchNorm2d {
    /**
     * A quantized BatchNorm2d followed by ReLU, with the arguments of
     * {@link BatchNorm2d#BatchNorm2d(float[], float[], float[], float[], double, double, int)}.
     *
     * @param weight      gamma per channel (copied)
     * @param bias        beta per channel (copied)
     * @param runningMean the running mean per channel (copied)
     * @param runningVar  the running variance per channel (copied, non-negative)
     * @param eps         the value added to the variance
     * @param scale       output scale
     * @param zeroPoint   output zero point (quint8)
     * @throws IllegalArgumentException as the BatchNorm2d constructor
     */
    public BNReLU2d(float[] weight, float[] bias, float[] runningMean, float[] runningVar, double eps, double scale,
                    int zeroPoint) {
        super(weight, bias, runningMean, runningVar, eps, scale, zeroPoint, true);
    }
}
