package dev.vquant.ops.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

import java.util.Arrays;

/**
 * PyTorch's {@code layer_norm(x, normalized_shape, weight, bias, eps)} in float32: over the
 * trailing dimensions {@code normalized_shape}, {@code y = (x - mean) / sqrt(var + eps) * weight +
 * bias} with the biased variance. Mean and variance come from two passes over the row in float32
 * (a fixed summation order: PyTorch's CPU kernel uses a float32 Welford/cascade sum, so results
 * agree to float rounding, not bit for bit). Immutable and thread-safe.
 */
public final class FloatLayerNorm implements FloatOperator {
    private static final String NAME = "FloatLayerNorm";
    private final int[] normalizedShape;
    private final int size;
    private final float[] weight;
    private final float[] bias;
    private final float eps;
    private final int threads;

    /**
     * @param normalizedShape the trailing dimensions to normalize over (each > 0)
     * @param weight          per-element scale of {@code prod(normalizedShape)} values, or null
     *                        (then bias must be null too: PyTorch's {@code elementwise_affine=False}) (copied)
     * @param bias            per-element shift, or null for zeros (copied)
     * @param eps             added to the variance; finite and >= 0
     * @param threads         threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for an empty or non-positive shape, a weight or bias of the
     *                                  wrong length, a bias without weight, a NaN, infinite or
     *                                  negative eps, or a negative thread count
     */
    public FloatLayerNorm(int[] normalizedShape, float[] weight, float[] bias, double eps, int threads) {
        TensorChecks.notNull(NAME, "normalized_shape", normalizedShape);
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException(NAME + ": normalized_shape must be non-empty with positive dimensions, got "
                    + Arrays.toString(normalizedShape));
        }
        this.normalizedShape = normalizedShape.clone();
        this.size = TensorChecks.outputSize(NAME, normalizedShape);
        if (weight != null && weight.length != size) {
            throw new IllegalArgumentException(NAME + ": expected a weight of " + size + " values, got " + weight.length);
        }
        if (bias != null && bias.length != size) {
            throw new IllegalArgumentException(NAME + ": expected a bias of " + size + " values, got " + bias.length);
        }
        if (bias != null && weight == null) {
            throw new IllegalArgumentException(NAME + ": a bias needs a weight (pass ones for a shift only)");
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(NAME + ": eps must be finite and >= 0, got " + eps);
        }
        this.weight = weight == null ? null : weight.clone();
        this.bias = weight == null ? null : bias == null ? new float[size] : bias.clone();
        this.eps = (float) eps;
        this.threads = TensorChecks.threads(NAME, threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The normalized trailing shape (a copy). */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a null input or engine, or an input whose trailing
     *                                  dimensions are not {@code normalized_shape}
     */
    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        TensorChecks.engine(NAME, engine);
        int[] shape = x.shape();
        int r = normalizedShape.length;
        if (shape.length < r || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - r, shape.length), normalizedShape)) {
            throw new IllegalArgumentException(NAME + ": expected an input [*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "], got shape " + Arrays.toString(shape));
        }
        float[] in = x.data();
        float[] out = new float[in.length];
        Rows.run(in.length / size, size, Threads.resolve(threads), (s, e, scratch) -> {
            for (int row = s; row < e; row++) {
                RowKernels.layerNorm(in, row * size, out, row * size, size, eps, weight, bias, scratch);
            }
        });
        return FloatTensor.of(out, shape);
    }
}
