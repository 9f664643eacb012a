package dev.vquant.quant.nn.quantized.dynamic;

import dev.vquant.engine.QTensor;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.util.Map;
import java.util.Objects;

/**
 * Dynamically quantized Linear (PyTorch's {@code torch.ao.nn.quantized.dynamic.Linear}): float
 * input {@code [*, in_features]} quantized per call to quint8 from its own range, qint8 weight
 * (per tensor or per channel), float bias and float output, computed by vquant's
 * {@link DynamicQLinear} with the current engine's PyTorch arithmetic. As PyTorch's module, it asks
 * for reduce_range activations (0..127), which fbgemm honours and qnnpack ignores.
 *
 * <p>State dict: {@code weight} (quantized) and {@code bias}. Immutable and thread-safe.
 */
public final class Linear extends Module {
    private final QTensor weight;
    private final float[] bias;
    private final DynamicQLinear op;

    /**
     * A dynamic Linear over {@code weight} and a copy of {@code bias}.
     *
     * @param weight qint8 {@code [out_features, in_features]}
     * @param bias   float, one per output feature, or null
     * @throws IllegalArgumentException when the weight or bias is not valid for a dynamic Linear
     */
    public Linear(QTensor weight, float[] bias) {
        this.weight = Objects.requireNonNull(weight, "weight");
        this.bias = bias == null ? null : bias.clone();
        this.op = DynamicQLinear.builder(weight).bias(this.bias).reduceRange(true).build();
    }

    /** {@return the quantized weight} */
    public QTensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Tensor.fromEngine(op.forward(x.engineFloat("dynamic quantized Linear")));
    }

    @Override
    protected void saveToStateDict(String prefix, Map<String, Tensor> out) {
        out.put(prefix + "weight", Tensor.ofQuantized(weight));
        if (bias != null) {
            out.put(prefix + "bias", Tensor.of(bias.clone(), bias.length));
        }
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + weight.dim(1) + ", out_features=" + weight.dim(0) + ", dtype=torch.qint8, qscheme="
                + (weight.qparams().isPerChannel() ? "torch.per_channel_affine" : "torch.per_tensor_affine");
    }
}
