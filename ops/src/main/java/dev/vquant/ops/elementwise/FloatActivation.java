package dev.vquant.ops.elementwise;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;
import dev.vquant.ops.math.VectorMath;

/**
 * float32 activations: the twins of the quantized ones, ReLU {@code max(x, 0)}, ReLU6
 * {@code min(max(x, 0), 6)}, Hardswish {@code x * clamp(x + 3, 0, 6) / 6}, Sigmoid
 * {@code 1 / (1 + exp(-x))} (float64 exp, rounded once); and the transcendental ones of
 * transformers and recurrent nets on {@link VectorMath} (error bounds in
 * {@link dev.vquant.ops.math.ScalarMath}): GELU ({@code x/2 (1 + erf(x/sqrt 2))}, PyTorch's
 * default), its tanh form and tanh. Any shape. Immutable and thread-safe.
 */
public final class FloatActivation implements FloatOperator {

    /** The function applied to every element. */
    public enum Kind {
        /** {@code max(x, 0)}. */
        RELU,
        /** {@code min(max(x, 0), 6)}. */
        RELU6,
        /** {@code x * relu6(x + 3) / 6}. */
        HARDSWISH,
        /** {@code 1 / (1 + e^-x)}. */
        SIGMOID,
        /** {@code x/2 (1 + erf(x/sqrt 2))}, PyTorch's {@code approximate='none'}. */
        GELU,
        /** {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, PyTorch's {@code approximate='tanh'}. */
        GELU_TANH,
        /** tanh. */
        TANH
    }

    private final Kind kind;
    private final int threads;
    private final String name;

    /**
     * An activation applying {@code kind} to every element.
     *
     * @param kind    the function
     * @param threads threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a null kind or a negative thread count
     */
    public FloatActivation(Kind kind, int threads) {
        this.kind = TensorChecks.notNull("FloatActivation", "kind", kind);
        this.name = "Float" + kind; // built once: a forward names itself without building a string
        this.threads = TensorChecks.threads(name(), threads);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * {@inheritDoc} Any shape; NaN and infinities go through the function as in PyTorch.
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine
     */
    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(name(), "input", x);
        TensorChecks.engine(name(), engine);
        float[] in = x.data();
        float[] out = OutputArena.floats(in.length);
        int t = Threads.resolve(threads);
        if (BinaryLoop.inline(in.length, t)) { // one range: no capturing lambda per call
            apply(in, out, 0, in.length);
        } else {
            BinaryLoop.run(in.length, t, (s, e) -> apply(in, out, s, e));
        }
        return OutputTensors.floatsLike(out, x);
    }

    private void apply(float[] in, float[] out, int s, int e) {
        switch (kind) {
            case RELU -> {
                for (int i = s; i < e; i++) {
                    out[i] = Math.max(in[i], 0f);
                }
            }
            case RELU6 -> {
                for (int i = s; i < e; i++) {
                    out[i] = Math.min(Math.max(in[i], 0f), 6f);
                }
            }
            case HARDSWISH -> {
                for (int i = s; i < e; i++) {
                    float v = in[i];
                    out[i] = v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
                }
            }
            case SIGMOID -> {
                for (int i = s; i < e; i++) {
                    out[i] = (float) (1.0 / (1.0 + Math.exp(-in[i])));
                }
            }
            case GELU -> VectorMath.gelu(in, s, out, s, e - s);
            case GELU_TANH -> VectorMath.geluTanh(in, s, out, s, e - s);
            case TANH -> VectorMath.tanh(in, s, out, s, e - s);
        }
    }
}
