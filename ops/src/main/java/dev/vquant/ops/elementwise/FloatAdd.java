package dev.vquant.ops.elementwise;

import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * float32 twin of {@link QAdd} and {@link QMul}: elementwise {@code a + b} or {@code a * b} of two
 * tensors of the same shape, optionally followed by ReLU. Immutable and thread-safe.
 */
public final class FloatAdd {
    private final boolean multiply;
    private final boolean relu;
    private final int threads;

    private FloatAdd(boolean multiply, boolean relu, int threads) {
        this.multiply = multiply;
        this.relu = relu;
        this.threads = threads;
    }

    /**
     * Starts an elementwise {@code a + b} (PyTorch's {@code torch.add}, {@code FloatFunctional.add}).
     * <pre>FloatAdd add = FloatAdd.add().relu(true).build();</pre>
     *
     * @return the builder
     */
    public static Builder add() {
        return new Builder(false);
    }

    /**
     * Starts an elementwise {@code a * b} (PyTorch's {@code torch.mul}, {@code FloatFunctional.mul}).
     *
     * @return the builder
     */
    public static Builder multiply() {
        return new Builder(true);
    }

    /** Options of a {@link FloatAdd}: a fused ReLU and the thread count. */
    public static final class Builder {
        private final boolean multiply;
        private boolean relu;
        private int threads;

        private Builder(boolean multiply) {
            this.multiply = multiply;
        }

        /**
         * Fuse a ReLU ({@code add_relu}, {@code mul_relu}): clamp the result at 0; default false.
         *
         * @param relu whether to clamp
         * @return this builder
         */
        public Builder relu(boolean relu) {
            this.relu = relu;
            return this;
        }

        /**
         * Threads for this operator; 0 (the default) follows {@link Threads#get()}.
         *
         * @param threads the thread count
         * @return this builder
         * @throws IllegalArgumentException for a negative count
         */
        public Builder threads(int threads) {
            this.threads = TensorChecks.threads(multiply ? "FloatMul" : "FloatAdd", threads);
            return this;
        }

        /**
         * The operator.
         *
         * @return the elementwise add or multiply
         */
        public FloatAdd build() {
            return new FloatAdd(multiply, relu, threads);
        }
    }

    /**
     * The operator's name.
     *
     * @return {@code "FloatAdd"} or {@code "FloatMul"}
     */
    public String name() {
        return multiply ? "FloatMul" : "FloatAdd";
    }

    /**
     * {@code a + b} or {@code a * b} elementwise; NaN and infinities propagate as in PyTorch.
     *
     * @param a the first operand
     * @param b the second operand, the shape of {@code a}
     * @return a new tensor holding {@code a + b}
     * @throws IllegalArgumentException naming the operator for a null operand or operands of
     *                                  different shapes
     */
    public FloatTensor forward(FloatTensor a, FloatTensor b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException(name() + ": operands must not be null");
        }
        if (!sameShape(a, b)) {
            TensorChecks.sameShape(name(), a.shape(), b.shape()); // throws, naming both shapes
        }
        float[] x = a.data();
        float[] y = b.data();
        float[] out = OutputArena.floats(x.length);
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        int t = Threads.resolve(threads);
        if (BinaryLoop.inline(x.length, t)) { // one range: no capturing lambda per call
            combine(x, y, out, lo, 0, x.length);
        } else {
            BinaryLoop.run(x.length, t, (s, e) -> combine(x, y, out, lo, s, e));
        }
        return OutputTensors.floatsLike(out, a);
    }

    private void combine(float[] x, float[] y, float[] out, float lo, int s, int e) {
        for (int i = s; i < e; i++) {
            out[i] = Math.max(multiply ? x[i] * y[i] : x[i] + y[i], lo);
        }
    }

    private static boolean sameShape(FloatTensor a, FloatTensor b) {
        if (a.rank() != b.rank()) {
            return false;
        }
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Untyped entry: rejects quantized operands with a hint to insert a DeQuantize step.
     *
     * @param a the first operand, a float tensor
     * @param b the second operand, a float tensor
     * @return {@link #forward}'s result
     */
    public FloatTensor apply(Object a, Object b) {
        return forward(TensorChecks.floating(name(), a), TensorChecks.floating(name(), b));
    }
}
