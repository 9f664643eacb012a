package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Dropout;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.FloatFunctional;
import dev.vquant.quant.nn.Hardswish;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.ReLU6;
import dev.vquant.quant.nn.Sigmoid;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Backwards of the element-wise and shape modules against central differences of float64
 * oracles, on 4-D inputs in both memory formats. Inputs are drawn at least 0.1 from every kink
 * (0 and 6 for ReLU6, +-3 for Hardswish) and the step is 1e-3, so no difference straddles one;
 * the smooth pieces are at most quadratic (Sigmoid: truncation below 1e-7).
 */
class ElementwiseGradTest {

    /** Values away from 0, 6, -3 and 3 by at least 0.1, within [-8, 8]. */
    static float[] awayFromKinks(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double[] kinks = {-8, -3, 0, 3, 6, 8};
            int seg = r.nextInt(kinks.length - 1);
            x[i] = (float) (kinks[seg] + 0.1 + r.nextDouble() * (kinks[seg + 1] - kinks[seg] - 0.2));
        }
        return x;
    }

    /** A random [n, c, h, w] with small, odd and even sizes. */
    static int[] smallShape(SplittableRandom r) {
        return new int[]{1 + r.nextInt(2), 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3)};
    }

    /** Runs {@code f} on a variable of shape [n, c, h, w] under a tape, returning the variable with its gradient. */
    static Parameter gradient(float[] x, int[] shape, boolean channelsLast, float[] weights, Function<Tensor, Tensor> f) {
        Parameter p = GradCheck.variable(x, shape);
        try (GradTape tape = GradTape.record()) {
            Tensor in = tape.leaf(p);
            Tensor y = f.apply(channelsLast ? GradCheck.recordedChannelsLast(tape, in) : in);
            tape.backward(GradCheck.weightedSum(tape, y, weights));
        }
        return p;
    }

    @Property(tries = 40)
    void activations(@ForAll @IntRange(min = 0, max = 3) int kind, @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = smallShape(r);
        int numel = dev.vquant.engine.Shapes.numel(shape);
        float[] x = awayFromKinks(r, numel);
        float[] weights = GradCheck.random(r, numel, -1, 1);
        Module m = switch (kind) {
            case 0 -> new ReLU();
            case 1 -> new ReLU6();
            case 2 -> new Hardswish();
            default -> new Sigmoid();
        };
        java.util.function.DoubleUnaryOperator f = switch (kind) {
            case 0 -> v -> Math.max(v, 0);
            case 1 -> v -> Math.min(Math.max(v, 0), 6);
            case 2 -> v -> v * Math.min(Math.max(v + 3, 0), 6) / 6;
            default -> v -> 1 / (1 + Math.exp(-v));
        };
        Parameter p = gradient(x, shape, channelsLast, weights, m::forward);
        double[] xs = GradCheck.widen(x);
        double[] expected = GradCheck.numeric64(xs, 1e-3, v -> {
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                s += weights[i] * f.applyAsDouble(v[i]);
            }
            return s;
        });
        GradCheck.assertClose(expected, p.grad(), 1e-5, 0, m.getClass().getSimpleName());
    }

    @Property(tries = 40)
    void functionalAndShapes(@ForAll @IntRange(min = 0, max = 5) int op, @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = smallShape(r);
        int numel = dev.vquant.engine.Shapes.numel(shape);
        float[] x = awayFromKinks(r, numel);
        float[] other = awayFromKinks(r, numel);
        Tensor b = Tensor.of(other, shape);
        FloatFunctional ff = new FloatFunctional();
        float[] weights = GradCheck.random(r, op == 4 ? 2 * numel : numel, -1, 1);
        Function<Tensor, Tensor> f = switch (op) {
            case 0 -> t -> ff.add(t, b);
            case 1 -> t -> ff.addRelu(t, b);
            case 2 -> t -> ff.mul(t, b);
            case 3 -> t -> ff.mulScalar(ff.addScalar(t, 0.5), -1.5);
            case 4 -> t -> ff.cat(List.of(b, t), 1);
            default -> t -> Flatten.apply(t, 1);
        };
        Parameter p = gradient(x, shape, channelsLast, weights, f);
        int c = shape[1];
        int inner = shape[2] * shape[3];
        ToDoubleFunction<double[]> loss = v -> {
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                double y = switch (op) {
                    case 0 -> v[i] + other[i];
                    case 1 -> Math.max(v[i] + other[i], 0);
                    case 2 -> v[i] * other[i];
                    case 3 -> (v[i] + 0.5) * -1.5;
                    default -> v[i];
                };
                int at = i;
                if (op == 4) {   // cat along channels: x's element (n, ci, ...) lands after b's c channels
                    int n = i / (c * inner);
                    at = n * 2 * c * inner + c * inner + i % (c * inner);
                }
                s += weights[at] * y;
            }
            return s;
        };
        double[] expected = GradCheck.numeric64(GradCheck.widen(x), 1e-3, loss);
        GradCheck.assertClose(expected, p.grad(), 1e-5, 0, "op " + op);
    }

    @Property(tries = 20)
    void dropoutGradientIsItsMask(@ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = {2, 3, 2, 3};
        float[] x = GradCheck.awayFromZero(r, 36);
        float[] weights = GradCheck.random(r, 36, -1, 1);
        Dropout d = new Dropout(0.4, seed);
        float[][] out = new float[1][];
        Parameter p = gradient(x, shape, channelsLast, weights, t -> {
            Tensor y = d.forward(t);
            out[0] = y.toFloatArray();
            return y;
        });
        float scale = (float) (1 / 0.6);
        for (int i = 0; i < 36; i++) {
            boolean kept = out[0][i] != 0;   // x is never 0, so a zero output is a dropped element
            assertEquals(kept ? weights[i] * scale : 0f, p.grad()[i], 1e-6f, "element " + i);
        }
    }
}
