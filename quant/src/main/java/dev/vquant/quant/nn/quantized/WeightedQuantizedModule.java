package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.LoadResult;
import dev.vquant.quant.nn.Module;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the quantized modules with weights (Linear, Conv2d and their ReLU-fused forms) share: a
 * quantized weight, a float bias, output qparams, the ops operator built from them, and PyTorch's
 * state-dict entries ({@code weight}, {@code bias}, {@code scale}, {@code zero_point}); loading a
 * state dict rebuilds the operator. Safe for concurrent forwards; loading is not.
 */
public abstract class WeightedQuantizedModule extends Module {
    private final String consumer;
    private QTensor weight;
    private float[] bias;
    private double scale;
    private int zeroPoint;
    private volatile QuantizedOperator op;

    /** Subclasses call {@link #rebuild} at the end of their constructor. */
    protected WeightedQuantizedModule() {
        this.consumer = "quantized " + getClass().getSimpleName();
    }

    /**
     * The operator for these numbers (validating them), with the subclass's geometry and ReLU.
     *
     * @param weight    the qint8 weight in PyTorch's order
     * @param bias      the float bias, or null
     * @param scale     the output scale
     * @param zeroPoint the output zero point
     * @return a new operator
     * @throws IllegalArgumentException when the numbers are not valid for the operator
     */
    protected abstract QuantizedOperator build(QTensor weight, float[] bias, double scale, int zeroPoint);

    /**
     * Builds the operator first, so invalid numbers leave the module as it was.
     *
     * @param w  the qint8 weight in PyTorch's order
     * @param b  the float bias, or null
     * @param s  the output scale
     * @param zp the output zero point
     * @throws IllegalArgumentException when the numbers are not valid for the operator
     */
    protected final void rebuild(QTensor w, float[] b, double s, int zp) {
        QuantizedOperator built = build(Objects.requireNonNull(w, "weight"), b, s, zp);
        this.weight = w;
        this.bias = b;
        this.scale = s;
        this.zeroPoint = zp;
        this.op = built;
    }

    /** {@return the quantized weight in PyTorch's order} */
    public final QTensor weight() {
        return weight;
    }

    /** {@return the output scale} */
    public final double scale() {
        return scale;
    }

    /** {@return the output zero point} */
    public final int zeroPoint() {
        return zeroPoint;
    }

    /** {@return the float bias (a copy), or null} */
    public final float[] bias() {
        return bias == null ? null : bias.clone();
    }

    @Override
    public final Tensor forward(Tensor x) {
        return Tensor.fromEngine(op.forward(x.engineQuantized(consumer)));
    }

    @Override
    protected final void saveToStateDict(String prefix, Map<String, Tensor> out) {
        QuantizedState.putWeights(prefix, out, weight, bias);
        QuantizedState.putOutput(prefix, out, scale, zeroPoint);
    }

    @Override
    protected final void loadFromStateDict(String prefix, Map<String, Tensor> state, List<String> used,
                                           LoadResult.Builder problems) {
        QTensor w = QuantizedState.weight(prefix, state, used, problems, weight.shape());
        float[] b = bias == null ? null : QuantizedState.floats(prefix + "bias", state, used, problems, bias.length);
        float[] s = QuantizedState.floats(prefix + "scale", state, used, problems, 1);
        float[] zp = QuantizedState.floats(prefix + "zero_point", state, used, problems, 1);
        if (w != null && (bias == null || b != null) && s != null && zp != null) {
            rebuild(w, b, s[0], (int) zp[0]);
        }
    }
}
