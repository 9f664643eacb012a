package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test support: a random linear functional {@code L(y) = sum r_i y_i} recorded as the loss (so
 * the analytic gradient of any output is back-propagated from {@code r}), and central finite
 * differences in float64 to compare it with.
 */
final class GradCheck {
    private GradCheck() {
    }

    static float[] random(SplittableRandom r, int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + r.nextDouble() * (hi - lo));
        }
        return x;
    }

    /** Values in {@code [-2, -0.1] U [0.1, 2]}: away from the kinks of ReLU-like functions at 0. */
    static float[] awayFromZero(SplittableRandom r, int n) {
        float[] x = random(r, n, 0.1, 2);
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                x[i] = -x[i];
            }
        }
        return x;
    }

    /** Records {@code sum_i weights[i] * y_logical[i]} as a scalar loss of {@code y} (any memory format). */
    static Tensor weightedSum(GradTape tape, Tensor y, float[] weights) {
        float[] v = y.toFloatArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += (double) weights[i] * v[i];
        }
        Tensor loss = Tensor.of(new float[]{(float) s});
        tape.record(loss, (g, needs) -> {
            float[] gl = new float[weights.length];
            for (int i = 0; i < gl.length; i++) {
                gl[i] = weights[i] * g[0];
            }
            return new float[][]{Layouts.logicalToStorage(y, gl)};
        }, y);
        return loss;
    }

    /**
     * Central differences of {@code loss} over every element of {@code vars} (changed in place and
     * restored), step {@code h}.
     */
    static double[] numeric(float[] vars, double h, ToDoubleFunction<float[]> loss) {
        double[] g = new double[vars.length];
        for (int i = 0; i < vars.length; i++) {
            float keep = vars[i];
            vars[i] = (float) (keep + h);
            double up = loss.applyAsDouble(vars);
            vars[i] = (float) (keep - h);
            double down = loss.applyAsDouble(vars);
            vars[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    /** Float64 central differences of a float64 function of float64 variables. */
    static double[] numeric64(double[] vars, double h, ToDoubleFunction<double[]> loss) {
        double[] g = new double[vars.length];
        for (int i = 0; i < vars.length; i++) {
            double keep = vars[i];
            vars[i] = keep + h;
            double up = loss.applyAsDouble(vars);
            vars[i] = keep - h;
            double down = loss.applyAsDouble(vars);
            vars[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** Each analytic gradient within {@code tol * (1 + scale)} of the numeric one, naming the first miss. */
    static void assertClose(double[] expected, float[] actual, double tol, double scale, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * (1 + scale), what + "[" + i + "] of " + Arrays.toString(actual));
        }
    }

    /** The largest magnitude in {@code g} (the scale of a gradient's rounding error). */
    static double maxAbs(double[] g) {
        double m = 0;
        for (double v : g) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** {@code x} moved to channels-last memory as a recorded operation (so layouts are exercised). */
    static Tensor recordedChannelsLast(GradTape tape, Tensor x) {
        Tensor y = x.toChannelsLast();
        if (y == x) {
            return x;
        }
        tape.record(y, (g, needs) -> new float[][]{Layouts.storageToLogical(y, g)}, x);
        return y;
    }

    /** A trainable copy of {@code data} to stand for an input whose gradient a test reads. */
    static dev.vquant.quant.nn.Parameter variable(float[] data, int... shape) {
        return dev.vquant.quant.nn.Parameter.of(data.clone(), shape);
    }
}
