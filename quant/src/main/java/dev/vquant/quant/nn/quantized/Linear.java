package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.quant.Tensor;


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
public class Linear extends WeightedQuantizedModule {
    private final boolean relu;

    /**
     * A quantized Linear (quint8 {@code [..., in_features]} in, quint8 {@code [..., out_features]} out).
     *
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
        rebuild(weight, bias == null ? null : bias.clone(), scale, zeroPoint);
    }

    @Override
    protected QuantizedOperator build(QTensor weight, float[] bias, double scale, int zeroPoint) {
        return QLinear.builder(weight).bias(bias).output(scale, zeroPoint).relu(relu).build();
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + weight().dim(1) + ", out_features=" + weight().dim(0) + ", scale=" + scale() + ", zero_point="
                + zeroPoint() + ", qscheme=" + (weight().qparams().isPerChannel() ? "per_channel" : "per_tensor");
    }
}
