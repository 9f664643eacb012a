package dev.vquant.ops.elementwise;

import dev.vquant.engine.FloatTensor;
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

    /**
     * @param multiply {@code a * b} instead of {@code a + b}
     * @param relu     clamp the result at 0
     * @param threads  threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a negative thread count
     */
    public FloatAdd(boolean multiply, boolean relu, int threads) {
        this.multiply = multiply;
        this.relu = relu;
        this.threads = TensorChecks.threads(name(), threads);
    }

    public String name() {
        return multiply ? "FloatMul" : "FloatAdd";
    }

    /**
     * {@code a + b} or {@code a * b} elementwise; NaN and infinities propagate as in PyTorch.
     *
     * @throws IllegalArgumentException naming the operator for a null operand or operands of
     *                                  different shapes
     */
    public FloatTensor forward(FloatTensor a, FloatTensor b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException(name() + ": operands must not be null");
        }
        TensorChecks.sameShape(name(), a.shape(), b.shape());
        float[] x = a.data();
        float[] y = b.data();
        float[] out = new float[x.length];
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        BinaryLoop.run(x.length, Threads.resolve(threads), (s, e) -> {
            for (int i = s; i < e; i++) {
                out[i] = Math.max(multiply ? x[i] * y[i] : x[i] + y[i], lo);
            }
        });
        return FloatTensor.of(out, a.shape());
    }

    /** Untyped entry: rejects quantized operands with a hint to insert a DeQuantize step. */
    public FloatTensor apply(Object a, Object b) {
        return forward(TensorChecks.floating(name(), a), TensorChecks.floating(name(), b));
    }
}
