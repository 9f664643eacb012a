package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Parameter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cross-entropy's value and gradient against a float64 oracle of PyTorch's definition and its
 * central differences (step 1e-4: the truncation error is below 1e-8 for softmax's bounded third
 * derivative; the float32 gradient carries at most ~1e-7 absolute error).
 */
class LossGradTest {

    static double oracle(double[] z, int[] labels, int n, int c) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z[i * c + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(z[i * c + j] - max);
            }
            total += Math.log(sum) + max - z[i * c + labels[i]];
        }
        return total / n;
    }

    @Property(tries = 60)
    void crossEntropyMatchesTheOracle(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 11) int c,
                                      @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Parameter logits = GradCheck.variable(GradCheck.random(r, n * c, -6, 6), n, c);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(c);
        }
        Tensor loss;
        try (GradTape tape = GradTape.record()) {
            loss = Loss.crossEntropy(tape.leaf(logits), labels);
            tape.backward(loss);
        }
        double[] z = GradCheck.widen(logits.data());
        assertEquals(oracle(z, labels, n, c), loss.toFloatArray()[0], 1e-6 * (1 + Math.abs(oracle(z, labels, n, c))));
        double[] expected = GradCheck.numeric64(z, 1e-4, v -> oracle(v, labels, n, c));
        GradCheck.assertClose(expected, logits.grad(), 1e-6, 0, "dlogits");
    }
}
