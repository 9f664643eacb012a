package dev.vquant.quant.autograd;

import dev.vquant.quant.QConfig;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.intrinsic.qat.ConvBn2d;
import dev.vquant.quant.nn.intrinsic.qat.ConvBnReLU2d;
import dev.vquant.quant.nn.intrinsic.qat.ConvReLU2d;
import dev.vquant.quant.nn.intrinsic.qat.LinearReLU;
import dev.vquant.quant.qat.FakeQuantization;
import dev.vquant.quant.qat.FakeQuantize;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;


/**
 * Quantization-aware training's gradients (the straight-through estimator alone:
 * {@code qat.FakeQuantizeGradGoldenTest}). The QAT modules' whole backward (fake-quantized weight, ConvBn's BN folding with gamma in both places,
 * batch or frozen statistics, fused ReLU) against central differences of a float64 oracle of
 * PyTorch 1.13's {@code _forward_approximate} in which fake quantization is its straight-through
 * surrogate {@code fq(v0) + mask * (v - v0)} around the forward's point {@code v0}: the function
 * whose derivative PyTorch's autograd computes. The oracle's BN eps is 1e-2, so its variance
 * terms stay >= 1e-2 and the step 1e-4 leaves truncation below 1e-6 relative.
 */
class QatGradTest {

    /** The STE surrogate's pieces at the forward's point: {@code fq(v0)} and the pass mask. */
    record Surrogate(float[] at, float[] quantized, float[] mask) {
        static Surrogate of(FakeQuantize fq, float[] v0, int[] shape) {
            float[] ones = new float[v0.length];
            java.util.Arrays.fill(ones, 1f);
            if (!fq.isFakeQuantEnabled()) {
                return new Surrogate(v0, v0, ones);
            }
            float[] s = fq.scale();
            int[] z = fq.zeroPoint();
            return fq.isPerChannel()
                    ? new Surrogate(v0, FakeQuantization.perChannel(v0, shape, fq.chAxis(), s, z, fq.quantMin(), fq.quantMax()),
                    FakeQuantization.perChannelGradient(v0, ones, shape, fq.chAxis(), s, z, fq.quantMin(), fq.quantMax()))
                    : new Surrogate(v0, FakeQuantization.perTensor(v0, s[0], z[0], fq.quantMin(), fq.quantMax()),
                    FakeQuantization.perTensorGradient(v0, ones, s[0], z[0], fq.quantMin(), fq.quantMax()));
        }

        double value(int i, double v) {
            return quantized[i] + mask[i] * (v - at[i]);
        }
    }

    /** conv2d in float64, NCHW, zero padding, no bias. */
    static double[] conv64(double[] x, int n, int cin, int h, int w, double[] wt, int cout, int groups, int k, int stride, int pad,
                           int oh, int ow) {
        int cg = cin / groups;
        int og = cout / groups;
        double[] y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < cout; o++) {
                int g = o / og;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = 0;
                        for (int c = 0; c < cg; c++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * stride - pad + ky;
                                    int ix = ox * stride - pad + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        s += x[((b * cin + g * cg + c) * h + iy) * w + ix] * wt[((o * cg + c) * k + ky) * k + kx];
                                    }
                                }
                            }
                        }
                        y[((b * cout + o) * oh + oy) * ow + ox] = s;
                    }
                }
            }
        }
        return y;
    }

    @Property(tries = 60)
    void convModulesMatchTheOracle(@ForAll @IntRange(min = 0, max = 2) int variant, @ForAll boolean depthwise,
                                   @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
                                   @ForAll boolean bias, @ForAll boolean frozen, @ForAll boolean fakeQuant, @ForAll boolean fbgemm,
                                   @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int cin = 1 + r.nextInt(3);
        int cout = depthwise ? cin : 1 + r.nextInt(3);
        int groups = depthwise ? cin : 1;
        int pad = r.nextInt(k / 2 + 1);
        int n = 2;
        int h = Math.max(1, k - 2 * pad) + r.nextInt(3);
        int w = Math.max(1, k - 2 * pad) + r.nextInt(3);
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        QConfig q = QConfig.defaultQatFor(fbgemm ? "fbgemm" : "qnnpack");
        Conv2d conv = Conv2d.builder(cin, cout, k).stride(stride).padding(pad).groups(groups).bias(bias).seed(seed).build();
        BatchNorm2d bn = new BatchNorm2d(cout, 1e-2, 0.1, true, true);
        bn.weight().copyFrom(GradCheck.awayFromZero(r, cout));
        bn.bias().copyFrom(GradCheck.random(r, cout, -1, 1));
        bn.runningMean().copyFrom(GradCheck.random(r, cout, -0.5, 0.5));
        bn.runningVar().copyFrom(GradCheck.random(r, cout, 0.5, 2));
        boolean withBn = variant < 2;
        boolean relu = variant > 0;
        dev.vquant.quant.nn.qat.Conv2d m = switch (variant) {
            case 0 -> new ConvBn2d(new dev.vquant.quant.nn.intrinsic.ConvBn2d(conv, bn), q);
            case 1 -> new ConvBnReLU2d(new dev.vquant.quant.nn.intrinsic.ConvBnReLU2d(conv, bn, new ReLU()), q);
            default -> new ConvReLU2d(new dev.vquant.quant.nn.intrinsic.ConvReLU2d(conv, new ReLU()), q);
        };
        m.train();
        if (withBn && frozen) {
            ((ConvBn2d) m).freezeBnStats();
        }
        m.weightFakeQuant().enableFakeQuant(fakeQuant);
        float[] rm = bn.runningMean().data().clone();
        float[] rv = bn.runningVar().data().clone();
        Parameter x = GradCheck.variable(GradCheck.random(r, n * cin * h * w, -2, 2), n, cin, h, w);
        float[] weights = GradCheck.random(r, n * cout * oh * ow, -1, 1);
        float[] out;
        try (GradTape tape = GradTape.record()) {
            Tensor in = tape.leaf(x);
            Tensor y = m.forward(channelsLast ? GradCheck.recordedChannelsLast(tape, in) : in);
            out = y.toFloatArray();
            tape.backward(GradCheck.weightedSum(tape, y, weights));
        }
        // the weight the fake-quant saw: scaled by gamma / sqrt(running_var + eps) in float32 when BN is folded
        float[] w0 = conv.weight().data().clone();
        int per = w0.length / cout;
        for (int i = 0; withBn && i < w0.length; i++) {
            w0[i] = w0[i] * (bn.weight().data()[i / per] / (float) Math.sqrt(rv[i / per] + (float) bn.eps()));
        }
        Surrogate ste = Surrogate.of(m.weightFakeQuant(), w0, conv.weight().shape());
        double[] xs = GradCheck.widen(x.data());
        double[] ws = GradCheck.widen(conv.weight().data());
        double[] gs = GradCheck.widen(bn.weight().data());
        double[] bs = GradCheck.widen(bn.bias().data());
        double[] cb = bias ? GradCheck.widen(conv.bias().data()) : new double[cout];
        boolean batchStats = withBn && !frozen;
        double eps = bn.eps();
        java.util.function.ToDoubleFunction<double[]> loss = unused -> {
            double[] sf = new double[cout];
            for (int o = 0; o < cout; o++) {
                sf[o] = withBn ? gs[o] / Math.sqrt(rv[o] + eps) : 1;
            }
            double[] qw = new double[ws.length];
            for (int i = 0; i < ws.length; i++) {
                qw[i] = ste.value(i, ws[i] * (withBn ? sf[i / per] : 1));
            }
            double[] y = conv64(xs, n, cin, h, w, qw, cout, groups, k, stride, pad, oh, ow);
            int inner = oh * ow;
            for (int i = 0; i < y.length; i++) {
                int o = i / inner % cout;
                y[i] = y[i] / sf[o] + cb[o];
            }
            if (withBn) {
                y = BatchNormGradTest.oracle(y, gs, bs, n, cout, inner, eps, batchStats ? null : rm, batchStats ? null : rv);
            }
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += relu && out[i] <= 0 ? 0 : weights[i] * y[i];
            }
            return s;
        };
        check(GradCheck.numeric64(xs, 1e-4, loss), x.grad(), "dx");
        check(GradCheck.numeric64(ws, 1e-4, loss), conv.weight().grad(), "dW");
        if (bias) {
            check(GradCheck.numeric64(cb, 1e-4, loss), conv.bias().grad(), "dbias");
        }
        if (withBn) {
            check(GradCheck.numeric64(gs, 1e-4, loss), bn.weight().grad(), "dgamma");
            check(GradCheck.numeric64(bs, 1e-4, loss), bn.bias().grad(), "dbeta");
        }
    }

    @Property(tries = 40)
    void linearReluMatchesTheOracle(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 6) int k,
                                    @ForAll @IntRange(min = 1, max = 5) int n, @ForAll boolean fakeQuant, @ForAll boolean fbgemm,
                                    @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Linear linear = new Linear(k, n, true, seed);
        LinearReLU qat = new LinearReLU(new dev.vquant.quant.nn.intrinsic.LinearReLU(linear, new ReLU()),
                QConfig.defaultQatFor(fbgemm ? "fbgemm" : "qnnpack"));
        qat.weightFakeQuant().enableFakeQuant(fakeQuant);
        Parameter x = GradCheck.variable(GradCheck.random(r, m * k, -2, 2), m, k);
        float[] weights = GradCheck.random(r, m * n, -1, 1);
        float[] out;
        try (GradTape tape = GradTape.record()) {
            Tensor y = qat.forward(tape.leaf(x));
            out = y.toFloatArray();
            tape.backward(GradCheck.weightedSum(tape, y, weights));
        }
        Surrogate ste = Surrogate.of(qat.weightFakeQuant(), linear.weight().data().clone(), linear.weight().shape());
        double[] xs = GradCheck.widen(x.data());
        double[] ws = GradCheck.widen(linear.weight().data());
        double[] bs = GradCheck.widen(linear.bias().data());
        java.util.function.ToDoubleFunction<double[]> loss = unused -> {
            double s = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double z = bs[j];
                    for (int t = 0; t < k; t++) {
                        z += xs[i * k + t] * ste.value(j * k + t, ws[j * k + t]);
                    }
                    s += out[i * n + j] > 0 ? weights[i * n + j] * z : 0;
                }
            }
            return s;
        };
        check(GradCheck.numeric64(xs, 1e-3, loss), x.grad(), "dx");
        check(GradCheck.numeric64(ws, 1e-3, loss), linear.weight().grad(), "dW");
        check(GradCheck.numeric64(bs, 1e-3, loss), linear.bias().grad(), "db");
    }

    static void check(double[] expected, float[] actual, String what) {
        GradCheck.assertClose(expected, actual, 1e-4, GradCheck.maxAbs(expected), what);
    }
}
