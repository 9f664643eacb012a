package dev.vquant.ops.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
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

    private FloatLayerNorm(int[] normalizedShape, float[] weight, float[] bias, double eps, int threads) {
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

    /**
     * Starts a layer norm over the trailing dimensions {@code normalizedShape} (PyTorch's
     * {@code nn.LayerNorm(normalized_shape)}): no affine parameters unless {@link Builder#weight}
     * is set, eps 1e-5.
     * <pre>FloatLayerNorm ln = FloatLayerNorm.builder(768).weight(gamma).bias(beta).eps(1e-12).build();</pre>
     *
     * @param normalizedShape the trailing dimensions (each {@code > 0}, checked by {@code build()})
     * @return the builder
     */
    public static Builder builder(int... normalizedShape) {
        return new Builder(normalizedShape);
    }

    /** Options of a {@link FloatLayerNorm}, with PyTorch's names and defaults. */
    public static final class Builder {
        private final int[] normalizedShape;
        private float[] weight;
        private float[] bias;
        private double eps = 1e-5;
        private int threads;

        private Builder(int[] normalizedShape) {
            this.normalizedShape = normalizedShape;
        }

        /**
         * Per-element scale of {@code prod(normalizedShape)} values (copied at build); null, the
         * default, is PyTorch's {@code elementwise_affine=False}.
         *
         * @param weight the scale
         * @return this builder
         */
        public Builder weight(float[] weight) {
            this.weight = weight;
            return this;
        }

        /**
         * Per-element shift (copied at build); null, the default, for zeros. Needs a weight.
         *
         * @param bias the shift
         * @return this builder
         */
        public Builder bias(float[] bias) {
            this.bias = bias;
            return this;
        }

        /**
         * Added to the variance (PyTorch's {@code eps}, default 1e-5); finite and {@code >= 0}.
         *
         * @param eps the epsilon
         * @return this builder
         */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /**
         * Threads; 0 (the default) follows {@link Threads#get()}.
         *
         * @param threads the thread count, checked by {@link #build()}
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * The layer norm.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a null, empty or non-positive
         *                                  shape, a weight or bias of the wrong length, a bias without
         *                                  weight, a NaN, infinite or negative eps, or a negative
         *                                  thread count
         */
        public FloatLayerNorm build() {
            return new FloatLayerNorm(normalizedShape, weight, bias, eps, threads);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return the normalized trailing shape (a copy)} */
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
        if (!trailingDimsMatch(x)) {
            int[] shape = x.shape();
            throw new IllegalArgumentException(NAME + ": expected an input [*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "], got shape " + Arrays.toString(shape));
        }
        float[] in = x.data();
        float[] out = OutputArena.floats(in.length);
        int t = Threads.resolve(threads);
        int rows = in.length / size;
        if (Rows.inline(rows, size, t)) { // one range: no capturing lambda per call
            rows(in, out, 0, rows, RowKernels.scratch());
        } else {
            Rows.run(rows, size, t, (s, e, scratch) -> rows(in, out, s, e, scratch));
        }
        return OutputTensors.floatsLike(out, x);
    }

    private void rows(float[] in, float[] out, int s, int e, float[] scratch) {
        for (int row = s; row < e; row++) {
            RowKernels.layerNorm(in, row * size, out, row * size, size, eps, weight, bias, scratch);
        }
    }

    /** Whether {@code x}'s trailing dimensions are {@code normalized_shape}, compared without copying shapes. */
    private boolean trailingDimsMatch(FloatTensor x) {
        int r = normalizedShape.length;
        int rank = x.rank();
        if (rank < r) {
            return false;
        }
        for (int i = 0; i < r; i++) {
            if (x.dim(rank - r + i) != normalizedShape[i]) {
                return false;
            }
        }
        return true;
    }
}
