package dev.vquant.quant.autograd;

import dev.vquant.ops.elementwise.FloatActivation;
import dev.vquant.quant.Tensor;

import java.util.BitSet;
import java.util.List;

/**
 * Backwards of the element-wise and shape operations of the float modules: activations (ReLU,
 * ReLU6, Hardswish, Sigmoid as ATen differentiates them), FloatFunctional's add, add_relu, mul,
 * scalar forms and cat, reshapes (Flatten) and Dropout's mask.
 */
public final class Elementwise {
    private Elementwise() {
    }

    /** {@code g} where {@code y > 0}, else 0 (ATen's {@code threshold_backward} on the output). */
    static float[] maskPositive(float[] g, float[] y) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = y[i] > 0 ? g[i] : 0f;
        }
        return out;
    }

    /**
     * Records {@code y = activation(x)} (same memory format as {@code x}).
     *
     * @param tape the tape to record on
     * @param kind which activation
     * @param x    the input
     * @param y    the forward's output
     */
    public static void activation(GradTape tape, FloatActivation.Kind kind, Tensor x, Tensor y) {
        float[] xs = x.storageFloat("activation backward").data();
        float[] ys = y.storageFloat("activation backward").data();
        tape.record(y, (g, needs) -> {
            float[] dx = new float[g.length];
            switch (kind) {
                case RELU -> {
                    for (int i = 0; i < g.length; i++) {
                        dx[i] = ys[i] > 0 ? g[i] : 0f;
                    }
                }
                // hardtanh_backward: zero at and beyond the bounds
                case RELU6 -> {
                    for (int i = 0; i < g.length; i++) {
                        dx[i] = xs[i] > 0f && xs[i] < 6f ? g[i] : 0f;
                    }
                }
                case HARDSWISH -> {
                    for (int i = 0; i < g.length; i++) {
                        float v = xs[i];
                        dx[i] = v < -3f ? 0f : v <= 3f ? g[i] * (v / 3f + 0.5f) : g[i];
                    }
                }
                case SIGMOID -> {
                    for (int i = 0; i < g.length; i++) {
                        dx[i] = g[i] * (1f - ys[i]) * ys[i];
                    }
                }
            }
            return new float[][]{dx};
        }, x);
    }

    /**
     * Records a reshape ({@code y} holds {@code x}'s elements in logical order, e.g. Flatten).
     *
     * @param tape the tape to record on
     * @param x    the input
     * @param y    the forward's output, of any shape with {@code x}'s element count
     */
    public static void reshape(GradTape tape, Tensor x, Tensor y) {
        tape.record(y, (g, needs) -> new float[][]{Layouts.logicalToStorage(x, Layouts.storageToLogical(y, g))}, x);
    }

    /**
     * Records {@code y = a + b} ({@code relu}: {@code relu(a + b)}) or {@code y = a * b}
     * ({@code multiply}) of two tensors of the same logical shape, in any memory formats.
     *
     * @param tape the tape to record on
     * @param a        the first operand
     * @param b        the second operand, of {@code a}'s logical shape
     * @param y        the forward's output
     * @param multiply a product rather than a sum
     * @param relu     ReLU after the sum (ignored for a product)
     */
    public static void binary(GradTape tape, Tensor a, Tensor b, Tensor y, boolean multiply, boolean relu) {
        float[] ys = relu ? y.storageFloat("add_relu backward").data() : null;
        float[] as = multiply ? Layouts.restore(a, y, a.storageFloat("mul backward").data()) : null;
        float[] bs = multiply ? Layouts.restore(b, y, b.storageFloat("mul backward").data()) : null;
        tape.record(y, (g, needs) -> {
            float[] gy = relu ? maskPositive(g, ys) : g;
            float[] ga = multiply ? product(gy, bs) : gy;
            float[] gb = multiply ? product(gy, as) : gy;
            return new float[][]{needs[0] ? Layouts.restore(y, a, ga) : null, needs[1] ? Layouts.restore(y, b, gb) : null};
        }, a, b);
    }

    private static float[] product(float[] g, float[] v) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = g[i] * v[i];
        }
        return out;
    }

    /**
     * Records {@code y = x + s} ({@code multiply}: {@code y = x * s}), same memory format.
     *
     * @param tape the tape to record on
     * @param x        the input
     * @param y        the forward's output
     * @param s        the scalar
     * @param multiply a product rather than a sum
     */
    public static void scalar(GradTape tape, Tensor x, Tensor y, float s, boolean multiply) {
        tape.record(y, (g, needs) -> {
            if (!multiply) {
                return new float[][]{g};
            }
            float[] dx = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                dx[i] = g[i] * s;
            }
            return new float[][]{dx};
        }, x);
    }

    /**
     * Records {@code y = cat(xs, dim)} along logical dimension {@code dim} (non-negative).
     *
     * @param tape the tape to record on
     * @param xs   the inputs, in order
     * @param dim  the concatenated dimension
     * @param y    the forward's output
     */
    public static void cat(GradTape tape, List<Tensor> xs, int dim, Tensor y) {
        Tensor[] inputs = xs.toArray(new Tensor[0]);
        int[] shape = y.shape();
        int outer = 1;
        for (int d = 0; d < dim; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int outerCount = outer;
        int innerCount = inner;
        tape.record(y, (g, needs) -> {
            float[] gl = Layouts.storageToLogical(y, g);
            float[][] out = new float[inputs.length][];
            int rowOut = shape[dim] * innerCount;
            int offset = 0;
            for (int i = 0; i < inputs.length; i++) {
                int row = inputs[i].dim(dim) * innerCount;
                if (needs[i]) {
                    float[] part = new float[outerCount * row];
                    for (int o = 0; o < outerCount; o++) {
                        System.arraycopy(gl, o * rowOut + offset, part, o * row, row);
                    }
                    out[i] = Layouts.logicalToStorage(inputs[i], part);
                }
                offset += row;
            }
            return out;
        }, inputs);
    }

    /**
     * Records Dropout's {@code y = x * keep / (1 - p)}: {@code kept} marks the kept elements in
     * storage order, {@code scale} is {@code 1 / (1 - p)}.
     *
     * @param tape the tape to record on
     * @param x     the input
     * @param y     the forward's output
     * @param kept  the kept elements, by storage index
     * @param scale the factor applied to the kept elements
     */
    public static void dropout(GradTape tape, Tensor x, Tensor y, BitSet kept, float scale) {
        tape.record(y, (g, needs) -> {
            float[] dx = new float[g.length];
            for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
                dx[i] = g[i] * scale;
            }
            return new float[][]{dx};
        }, x);
    }
}
