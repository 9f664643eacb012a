package dev.vquant.quant.nn;

import dev.vquant.ops.elementwise.FloatActivation;

/**
 * PyTorch's {@code nn.GELU(approximate='none')}: {@code x/2 (1 + erf(x/sqrt 2))}, or with
 * {@code approximate='tanh'} {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}; element-wise,
 * any shape, vectorized (error bounds in {@link dev.vquant.ops.math.ScalarMath#gelu}).
 */
public final class GELU extends Activation {
    private final String approximate;

    /** The exact (erf) form. */
    public GELU() {
        this("none");
    }

    /**
     * PyTorch's {@code nn.GELU(approximate)}: the exact erf form, or its tanh approximation.
     *
     * @param approximate {@code "none"} or {@code "tanh"}
     * @throws IllegalArgumentException for any other value
     */
    public GELU(String approximate) {
        super(kind(approximate));
        this.approximate = approximate;
    }

    private static FloatActivation.Kind kind(String approximate) {
        if ("none".equals(approximate)) {
            return FloatActivation.Kind.GELU;
        }
        if ("tanh".equals(approximate)) {
            return FloatActivation.Kind.GELU_TANH;
        }
        throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh', got " + approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
