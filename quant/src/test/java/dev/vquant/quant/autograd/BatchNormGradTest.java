package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.BatchNorm;
import dev.vquant.quant.nn.BatchNorm1d;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Parameter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

/**
 * BatchNorm1d/2d backwards (batch statistics in training, running statistics in eval) against
 * central differences (step 1e-4) of a float64 oracle of PyTorch's definition. The oracle is
 * smooth with bounded third derivative since every channel holds -1.5 and 1.5 (the rest drawn in
 * [-2, 2]), which keeps its variance >= 0.125, so truncation stays below 1e-6; the float32 backward carries relative errors of a few
 * 1e-7 of the gradient's scale. With the fused ReLU the oracle keeps the float32 forward's mask.
 */
class BatchNormGradTest {

    /** {@code y[i] = gamma[c] * (x - mean) / sqrt(var + eps) + beta[c]} in logical order (x NC* layout). */
    static double[] oracle(double[] x, double[] gamma, double[] beta, int n, int c, int inner, double eps, float[] rm, float[] rv) {
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double mean;
            double var;
            if (rm != null) {
                mean = rm[ch];
                var = rv[ch];
            } else {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < inner; i++) {
                        s += x[(b * c + ch) * inner + i];
                    }
                }
                mean = s / (n * inner);
                double q = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < inner; i++) {
                        double d = x[(b * c + ch) * inner + i] - mean;
                        q += d * d;
                    }
                }
                var = q / (n * inner);
            }
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < inner; i++) {
                    int at = (b * c + ch) * inner + i;
                    y[at] = gamma[ch] * (x[at] - mean) / Math.sqrt(var + eps) + beta[ch];
                }
            }
        }
        return y;
    }

    @Property(tries = 80)
    void batchNorm(@ForAll boolean twoD, @ForAll boolean training, @ForAll boolean relu, @ForAll boolean channelsLast,
                   @ForAll @IntRange(min = 1, max = 3) int c, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(3);
        int h = twoD ? 1 + r.nextInt(3) : 1;
        int w = twoD ? 1 + r.nextInt(3) : 1;
        int inner = h * w;
        int[] shape = twoD ? new int[]{n, c, h, w} : new int[]{n, c};
        BatchNorm bn = twoD ? new BatchNorm2d(c) : new BatchNorm1d(c);
        float[] rm = GradCheck.random(r, c, -1, 1);
        float[] rv = GradCheck.random(r, c, 0.5, 2);
        bn.runningMean().copyFrom(rm);
        bn.runningVar().copyFrom(rv);
        bn.weight().copyFrom(GradCheck.random(r, c, -2, 2));
        bn.bias().copyFrom(GradCheck.random(r, c, -1, 1));
        bn.train(training);
        float[] data = GradCheck.random(r, n * c * inner, -2, 2);
        for (int ch = 0; ch < c; ch++) {   // a spread of 3 in every channel keeps the variance away from 0
            data[ch * inner] = -1.5f;
            data[(c + ch) * inner] = 1.5f;
        }
        Parameter x = GradCheck.variable(data, shape);
        float[] weights = GradCheck.random(r, x.numel(), -1, 1);
        float[] mask;
        try (GradTape tape = GradTape.record()) {
            Tensor in = tape.leaf(x);
            Tensor y = bn.forward(channelsLast && twoD ? GradCheck.recordedChannelsLast(tape, in) : in, relu);
            mask = y.toFloatArray();
            tape.backward(GradCheck.weightedSum(tape, y, weights));
        }
        double[] xs = GradCheck.widen(x.data());
        double[] gamma = GradCheck.widen(bn.weight().data());
        double[] beta = GradCheck.widen(bn.bias().data());
        float[] useMean = training ? null : rm;
        float[] useVar = training ? null : rv;
        java.util.function.ToDoubleFunction<double[]> loss = unused -> {
            double[] y = oracle(xs, gamma, beta, n, c, inner, bn.eps(), useMean, useVar);
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += relu && mask[i] <= 0 ? 0 : weights[i] * y[i];
            }
            return s;
        };
        double[] dx = GradCheck.numeric64(xs, 1e-4, loss);
        GradCheck.assertClose(dx, x.grad(), 2e-5, GradCheck.maxAbs(dx), "dx");
        double[] dg = GradCheck.numeric64(gamma, 1e-4, loss);
        GradCheck.assertClose(dg, bn.weight().grad(), 2e-5, GradCheck.maxAbs(dg), "dgamma");
        double[] db = GradCheck.numeric64(beta, 1e-4, loss);
        GradCheck.assertClose(db, bn.bias().grad(), 2e-5, GradCheck.maxAbs(db), "dbeta");
    }
}
