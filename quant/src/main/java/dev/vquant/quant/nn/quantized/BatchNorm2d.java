package dev.vquant.quant.nn.quantized;

import dev.vquant.ops.elementwise.QBatchNorm2d;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.LoadResult;
import dev.vquant.quant.nn.Module;

import java.util.List;
import java.util.Map;

/**
 * Quantized BatchNorm2d in eval mode (PyTorch's {@code torch.ao.nn.quantized.BatchNorm2d}, what
 * convert makes of a calibrated {@code nn.BatchNorm2d}): the float running statistics, weight
 * and bias normalize a quint8 {@code [N, C, H, W]} input into this module's output qparams with
 * ATen's arithmetic ({@link QBatchNorm2d}). State-dict entries as PyTorch's: {@code weight},
 * {@code bias}, {@code running_mean}, {@code running_var} (float), {@code scale},
 * {@code zero_point}. Safe for concurrent forwards; loading a state dict is not.
 */
public class BatchNorm2d extends Module {
    private static final String[] PARAMS = {"weight", "bias", "running_mean", "running_var"};
    private final boolean relu;
    private final String consumer;
    private volatile QBatchNorm2d op;
    private float[][] params;
    private double eps;

    /**
     * A quantized BatchNorm2d over {@code [N, C, H, W]} quint8 inputs with the given float statistics and output qparams.
     *
     * @param weight      gamma per channel (copied)
     * @param bias        beta per channel (copied)
     * @param runningMean the running mean per channel (copied)
     * @param runningVar  the running variance per channel (copied, non-negative)
     * @param eps         the value added to the variance
     * @param scale       output scale
     * @param zeroPoint   output zero point (quint8)
     * @throws IllegalArgumentException when the arrays differ in length or hold non-finite values,
     *                                  a variance is negative, eps is not positive, or the output qparams are invalid
     */
    public BatchNorm2d(float[] weight, float[] bias, float[] runningMean, float[] runningVar, double eps, double scale,
                       int zeroPoint) {
        this(weight, bias, runningMean, runningVar, eps, scale, zeroPoint, false);
    }

    BatchNorm2d(float[] weight, float[] bias, float[] runningMean, float[] runningVar, double eps, double scale,
                int zeroPoint, boolean relu) {
        this.relu = relu;
        this.consumer = "quantized " + getClass().getSimpleName();
        rebuild(new float[][]{weight, bias, runningMean, runningVar}, eps, scale, zeroPoint);
    }

    /** Builds the operator first, so invalid numbers leave the module as it was. */
    private void rebuild(float[][] p, double e, double scale, int zeroPoint) {
        int channels = p[2] == null ? 0 : p[2].length;
        QBatchNorm2d built = QBatchNorm2d.builder(channels).weight(p[0]).bias(p[1]).runningMean(p[2]).runningVar(p[3])
                .eps(e).output(scale, zeroPoint).relu(relu).build();
        this.params = new float[][]{p[0].clone(), p[1].clone(), p[2].clone(), p[3].clone()};
        this.eps = e;
        this.op = built;
    }

    /** {@return the number of channels} */
    public int numFeatures() {
        return op.channels();
    }

    /** {@return the value added to the variance} */
    public double eps() {
        return eps;
    }

    /** {@return the output scale} */
    public double scale() {
        return op.outScale();
    }

    /** {@return the output zero point} */
    public int zeroPoint() {
        return op.outZeroPoint();
    }

    /** {@return the wrapped operator} */
    public QBatchNorm2d operator() {
        return op;
    }

    /**
     * @throws IllegalArgumentException for a float input (insert a QuantStub), or one that is not
     *                                  a quint8 {@code [N, numFeatures, H, W]} tensor
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != numFeatures()) {
            throw new IllegalArgumentException(consumer + ": expected a 4-D input [N, " + numFeatures() + ", H, W], got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        return Tensor.fromEngine(op.forward(x.engineQuantized(consumer)));
    }

    @Override
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        for (int i = 0; i < PARAMS.length; i++) {
            out.put(prefix + PARAMS[i], Tensor.of(params[i].clone(), params[i].length));
        }
        QuantizedState.putOutput(prefix, out, scale(), zeroPoint());
    }

    @Override
    protected void loadFromStateDict(String prefix, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems) {
        float[][] p = new float[PARAMS.length][];
        boolean complete = true;
        for (int i = 0; i < PARAMS.length; i++) {
            p[i] = QuantizedState.floats(prefix + PARAMS[i], state, used, problems, numFeatures());
            complete &= p[i] != null;
        }
        float[] s = QuantizedState.floats(prefix + "scale", state, used, problems, 1);
        float[] zp = QuantizedState.floats(prefix + "zero_point", state, used, problems, 1);
        if (complete && s != null && zp != null) {
            rebuild(p, eps, s[0], (int) zp[0]);
        }
    }

    @Override
    protected String extraRepr() {
        return numFeatures() + ", eps=" + eps + ", scale=" + scale() + ", zero_point=" + zeroPoint();
    }
}
