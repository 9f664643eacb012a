package dev.vquant.quant.nn.quantized;

import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.util.Objects;

/**
 * A parameter-free quantized operator of vquant's ops as a module: what a float ReLU, ReLU6,
 * Hardswish, Sigmoid, MaxPool2d, AvgPool2d or AdaptiveAvgPool2d becomes after conversion (in
 * PyTorch those float modules run on quantized tensors directly; here conversion swaps them
 * explicitly, so a float module never receives a quantized tensor silently). Prints as
 * {@code Quantized<kind>(<description>)}.
 */
public final class QuantizedOperatorModule extends Module {
    private final QuantizedOperator op;
    private final String description;
    private final String consumer;

    /**
     * Wraps {@code op} as a module.
     *
     * @param op          the operator (immutable, thread-safe)
     * @param description what {@link #toString()} shows inside the parentheses, e.g. the float module's settings
     */
    public QuantizedOperatorModule(QuantizedOperator op, String description) {
        this.op = Objects.requireNonNull(op, "op");
        this.description = Objects.requireNonNull(description, "description");
        this.consumer = "quantized " + op.name(); // built once: a forward builds no string
    }

    /** {@return the wrapped operator} */
    public QuantizedOperator operator() {
        return op;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Tensor.fromEngine(op.forward(x.engineQuantized(consumer)));
    }

    @Override
    protected String extraRepr() {
        return description;
    }

    @Override
    public String toString() {
        return "Quantized" + op.name() + "(" + description + ")";
    }
}
