package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.LoadResult;
import dev.vquant.quant.nn.Module;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Statically quantized Linear (PyTorch's {@code torch.ao.nn.quantized.Linear}): quint8 input
 * {@code [*, in_features]}, qint8 weight {@code [out_features, in_features]} (per tensor or per
 * output channel), float bias, quint8 output with this module's {@code scale}/{@code zero_point},
 * computed by vquant's {@link QLinear} with the current engine's PyTorch arithmetic. What
 * {@code Quantize.convert} makes of a float Linear; {@link LinearReLU} fuses a ReLU.
 *
 * <p>State dict: {@code weight} (quantized), {@code bias}, {@code scale}, {@code zero_point}.
 * Safe for concurrent forwards; loading a state dict is not.
 */
public class Linear extends Module {
    private final boolean relu;
    private QTensor weight;
    private float[] bias;
    private double scale;
    private int zeroPoint;
    private volatile QLinear op;

    /**
     * @param weight    qint8 {@code [out_features, in_features]}
     * @param bias      float, one per output feature, or null
     * @param scale     output scale
     * @param zeroPoint output zero point (quint8)
     * @throws IllegalArgumentException when the weight, bias or qparams are not valid for a quantized Linear
     */
    public Linear(QTensor weight, float[] bias, double scale, int zeroPoint) {
        this(weight, bias, scale, zeroPoint, false);
    }

    Linear(QTensor weight, float[] bias, double scale, int zeroPoint, boolean relu) {
        this.relu = relu;
        rebuild(Objects.requireNonNull(weight, "weight"), bias == null ? null : bias.clone(), scale, zeroPoint);
    }

    private void rebuild(QTensor w, float[] b, double s, int zp) {
        QLinear built = QLinear.builder(w).bias(b).output(s, zp).relu(relu).build();
        this.weight = w;
        this.bias = b;
        this.scale = s;
        this.zeroPoint = zp;
        this.op = built;
    }

    /** The quantized weight. */
    public QTensor weight() {
        return weight;
    }

    /** The output scale. */
    public double scale() {
        return scale;
    }

    /** The output zero point. */
    public int zeroPoint() {
        return zeroPoint;
    }

    /** The float bias (a copy), or null. */
    public float[] bias() {
        return bias == null ? null : bias.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        String name = getClass().getSimpleName();
        return Tensor.fromEngine(op.forward(x.engineQuantized("quantized " + name)));
    }

    @Override
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        QuantizedState.putWeights(prefix, out, weight, bias);
        QuantizedState.putOutput(prefix, out, scale, zeroPoint);
    }

    @Override
    protected void loadFromStateDict(String prefix, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems) {
        QTensor w = QuantizedState.weight(prefix, state, used, problems, weight.shape());
        float[] b = bias == null ? null : QuantizedState.floats(prefix + "bias", state, used, problems, bias.length);
        float[] s = QuantizedState.floats(prefix + "scale", state, used, problems, 1);
        float[] zp = QuantizedState.floats(prefix + "zero_point", state, used, problems, 1);
        if (w != null && (bias == null || b != null) && s != null && zp != null) {
            rebuild(w, b, s[0], (int) zp[0]);
        }
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + weight.dim(1) + ", out_features=" + weight.dim(0) + ", scale=" + scale + ", zero_point="
                + zeroPoint + ", qscheme=" + (weight.qparams().isPerChannel() ? "per_channel" : "per_tensor");
    }
}
