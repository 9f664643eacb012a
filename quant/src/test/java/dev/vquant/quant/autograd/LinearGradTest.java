package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Parameter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

/**
 * Linear's backward against central differences of a float64 oracle of {@code x W^T + b}. The
 * function is linear in each variable, so the differences are exact up to float64 rounding; the
 * tolerance covers the float32 GEMM of the backward (K products, relative 1e-6 each, scaled by the
 * gradient's size). With the fused ReLU the oracle keeps the float32 forward's mask, the
 * derivative PyTorch's {@code threshold_backward} defines.
 */
class LinearGradTest {

    @Property(tries = 80)
    void gradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 7) int m, @ForAll @IntRange(min = 1, max = 9) int k,
                                         @ForAll @IntRange(min = 1, max = 7) int n, @ForAll boolean bias, @ForAll boolean relu,
                                         @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Linear linear = new Linear(k, n, bias, seed);
        Parameter x = GradCheck.variable(GradCheck.random(r, m * k, -2, 2), m, k);
        float[] weights = GradCheck.random(r, m * n, -1, 1);
        float[] mask;
        try (GradTape tape = GradTape.record()) {
            Tensor y = linear.forward(tape.leaf(x), relu);
            mask = y.toFloatArray().clone();
            tape.backward(GradCheck.weightedSum(tape, y, weights));
        }
        float[] w = linear.weight().data();
        float[] b = bias ? linear.bias().data() : new float[n];
        double[] xs = GradCheck.widen(x.data());
        double[] ws = GradCheck.widen(w);
        double[] bs = GradCheck.widen(b);
        java.util.function.ToDoubleFunction<double[]> loss = unused -> {
            double s = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double z = bs[j];
                    for (int t = 0; t < k; t++) {
                        z += xs[i * k + t] * ws[j * k + t];
                    }
                    if (!relu || mask[i * n + j] > 0) {
                        s += weights[i * n + j] * z;
                    }
                }
            }
            return s;
        };
        check(GradCheck.numeric64(xs, 0.5, loss), x.grad(), "dx");
        check(GradCheck.numeric64(ws, 0.5, loss), linear.weight().grad(), "dW");
        if (bias) {
            check(GradCheck.numeric64(bs, 0.5, loss), linear.bias().grad(), "db");
        }
    }

    static void check(double[] expected, float[] actual, String what) {
        GradCheck.assertClose(expected, actual, 1e-5, 10 * GradCheck.maxAbs(expected), what);
    }
}
