package dev.vquant.engine;

import java.util.Locale;

/**
 * PyTorch's quantization schemes ({@code torch.qscheme}): what observers compute qparams for and
 * what {@link QTensor#fromFloat(FloatTensor, QScheme, DType)} quantizes with. Per-channel schemes
 * use axis 0 there (a weight's output channels).
 */
public enum QScheme {
    /** {@code torch.per_tensor_affine}: one scale and zero point, zero point from the minimum. */
    PER_TENSOR_AFFINE,
    /** {@code torch.per_tensor_symmetric}: one scale, zero point fixed (0, or 128 for quint8). */
    PER_TENSOR_SYMMETRIC,
    /** {@code torch.per_channel_affine}: one affine pair per channel. */
    PER_CHANNEL_AFFINE,
    /** {@code torch.per_channel_symmetric}: one symmetric pair per channel. */
    PER_CHANNEL_SYMMETRIC;

    /** {@return true for the two per-channel schemes} */
    public boolean isPerChannel() {
        return this == PER_CHANNEL_AFFINE || this == PER_CHANNEL_SYMMETRIC;
    }

    /** {@return true for the two symmetric schemes} */
    public boolean isSymmetric() {
        return this == PER_TENSOR_SYMMETRIC || this == PER_CHANNEL_SYMMETRIC;
    }

    /**
     * The arithmetic of the scheme's observers: affine or symmetric.
     *
     * @return {@link QParamsCalculator.Scheme#SYMMETRIC} for the symmetric schemes, else affine
     */
    public QParamsCalculator.Scheme arithmetic() {
        return isSymmetric() ? QParamsCalculator.Scheme.SYMMETRIC : QParamsCalculator.Scheme.AFFINE;
    }

    /**
     * Parses PyTorch's spelling ({@code "per_tensor_affine"}, {@code "torch.per_channel_symmetric"}).
     *
     * @param name the qscheme name, with or without {@code "torch."}
     * @return the scheme
     * @throws IllegalArgumentException for anything else, naming the valid ones
     */
    public static QScheme parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("qscheme name must not be null");
        }
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        for (QScheme q : values()) {
            if (q.toString().equals(n)) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown qscheme '" + name + "'; expected per_tensor_affine, "
                + "per_tensor_symmetric, per_channel_affine or per_channel_symmetric");
    }

    /** PyTorch's name, e.g. {@code per_tensor_affine}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
