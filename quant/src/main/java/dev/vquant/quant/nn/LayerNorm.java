package dev.vquant.quant.nn;

import dev.vquant.ops.nn.FloatLayerNorm;
import dev.vquant.quant.Tensor;

import java.util.Arrays;

/**
 * PyTorch's {@code nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)}: normalizes
 * over the trailing {@code normalized_shape} dimensions, then scales by {@code weight} and shifts
 * by {@code bias} (both of shape {@code normalized_shape}, initialized to ones and zeros, as
 * PyTorch). Runs on ops' {@link FloatLayerNorm}, rebuilt only when a parameter changes.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;
    private volatile OperatorCache<FloatLayerNorm> cache;

    /**
     * {@code LayerNorm(normalized_shape)}: eps 1e-5, affine.
     *
     * @param normalizedShape the trailing dimensions to normalize over (each positive)
     * @throws IllegalArgumentException for an empty or non-positive shape
     */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    /**
     * PyTorch's {@code nn.LayerNorm(normalized_shape, eps, elementwise_affine)}: weight ones, bias zeros.
     *
     * @param normalizedShape   the trailing dimensions to normalize over (each > 0)
     * @param eps               added to the variance; finite and >= 0
     * @param elementwiseAffine whether to learn {@code weight} and {@code bias}
     * @throws IllegalArgumentException for an empty or non-positive shape, or a bad eps
     */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        // the operator checks the arguments once, here, with its own messages
        FloatLayerNorm.builder(normalizedShape).eps(eps).build();
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = registerParameter("weight", elementwiseAffine ? Parameter.zeros(normalizedShape) : null);
        this.bias = registerParameter("bias", elementwiseAffine ? Parameter.zeros(normalizedShape) : null);
        if (elementwiseAffine) {
            Arrays.fill(weight.data(), 1f);
        }
    }

    /** {@return {@code weight}, or null without affine} */
    public Parameter weight() {
        return weight;
    }

    /** {@return {@code bias}, or null without affine} */
    public Parameter bias() {
        return bias;
    }

    /** {@return {@code eps}} */
    public double eps() {
        return eps;
    }

    /** @throws IllegalArgumentException when the trailing dimensions are not normalized_shape, or x is quantized */
    @Override
    public Tensor forward(Tensor x) {
        if (!OperatorCache.isCurrent(cache, weight, bias)) { // no lambda nor varargs array per call
            cache = OperatorCache.refresh(cache, () -> FloatLayerNorm.builder(normalizedShape).weight(weight == null ? null : weight.data())
                    .bias(bias == null ? null : bias.data()).eps(eps).build(), weight, bias);
        }
        return Tensor.fromEngine(cache.operator().forward(x.contiguousFloat(this)));
    }

    @Override
    protected String extraRepr() {
        return "(" + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "") + (normalizedShape.length == 1 ? "," : "")
                + "), eps=" + PyRepr.floating(eps) + ", elementwise_affine=" + PyRepr.bool(weight != null);
    }
}
