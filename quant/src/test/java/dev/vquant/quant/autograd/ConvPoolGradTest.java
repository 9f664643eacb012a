package dev.vquant.quant.autograd;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.AdaptiveAvgPool2d;
import dev.vquant.quant.nn.AvgPool2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.MaxPool2d;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Convolution and pooling backwards against central differences of float64 oracles of PyTorch's
 * definitions ({@link Float64Reference}); the modules' float32 forwards are checked against the
 * same oracles, so the oracles are pinned to what the modules compute.
 *
 * <p>The oracles are linear in every variable (convolution in the input, weight and bias; average
 * pooling in the input; max pooling too, locally, while the winning tap stays the winner), so
 * their difference quotients are exact up to float64 rounding (~1e-15 relative) at any step. Max
 * pooling's inputs are distinct by construction (a permutation of a grid with spacing 0.01), so a
 * step of 1e-3 never changes which tap wins and no window ties.
 *
 * <p>Tolerances. Backward: the analytic gradients are float32 sums of up to a few hundred terms
 * (the weight gradient sums over batch and output positions), whose rounding is at most
 * ~n * 2^-24 of the sum of the terms' magnitudes; with random-sign loss weights that sum is a few
 * times the gradient's max-norm, hence {@link #GRAD_TOL} = 1e-4 relative to the max-norm (the
 * errors seen are below 1e-6; a wrong tap, divisor or window moves a gradient by >= 1e-2).
 * Forward: a float32 output accumulates at most 37 terms, within 37 * 2^-24 < 2.3e-6 of the
 * sum of their magnitudes, hence {@link #FORWARD_TOL} = 1e-5 relative to that sum's maximum.
 */
class ConvPoolGradTest {
    static final double GRAD_TOL = 1e-4;
    static final double FORWARD_TOL = 1e-5;

    /** Runs {@code m} on a variable input under a tape, loss {@code sum weights * y}. */
    static Parameter backward(Module m, Parameter x, boolean channelsLast, float[] weights) {
        try (GradTape tape = GradTape.record()) {
            Tensor in = tape.leaf(x);
            Tensor y = m.forward(channelsLast ? GradCheck.recordedChannelsLast(tape, in) : in);
            tape.backward(GradCheck.weightedSum(tape, y, weights));
        }
        return x;
    }

    static void check(double[] expected, float[] actual, String what) {
        GradCheck.assertClose(expected, actual, GRAD_TOL, GradCheck.maxAbs(expected), what);
    }

    /** The float32 forward against the oracle's: equal infinities, finite values within FORWARD_TOL of {@code scale}. */
    static void checkForward(double[] expected, float[] actual, double scale, String what) {
        assertEquals(expected.length, actual.length, what + ": output size");
        for (int i = 0; i < expected.length; i++) {
            if (Double.isInfinite(expected[i])) {
                assertEquals(expected[i], actual[i], what + ": forward[" + i + "]");
            } else {
                assertEquals(expected[i], actual[i], FORWARD_TOL * (1 + scale), what + ": forward[" + i + "]");
            }
        }
    }

    static double[] abs(double[] v) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }

    /** {@code sum weights[i] * y[i]} over the outputs {@code keep} admits, leaving out infinite ones. */
    static double loss(float[] weights, double[] y, java.util.function.IntPredicate keep) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            if (keep.test(i) && !Double.isInfinite(y[i])) {
                s += weights[i] * y[i];
            }
        }
        return s;
    }

    @Property(tries = 80)
    void conv2d(@ForAll @IntRange(min = 1, max = 3) int groups, @ForAll @IntRange(min = 1, max = 3) int cinPerGroup,
                @ForAll @IntRange(min = 1, max = 3) int coutPerGroup, @ForAll @IntRange(min = 1, max = 3) int kh,
                @ForAll @IntRange(min = 1, max = 3) int kw, @ForAll @IntRange(min = 1, max = 3) int stride,
                @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                @ForAll boolean bias, @ForAll boolean relu, @ForAll boolean channelsLast, @ForAll boolean smallBlocks,
                @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int cin = groups * cinPerGroup;
        int cout = groups * coutPerGroup;
        // the horizontal stride, padding and dilation drawn apart from the vertical ones
        ConvGeometry g = new ConvGeometry(kh, kw, stride, 1 + r.nextInt(3), pad, r.nextInt(3), dilation, 1 + r.nextInt(2));
        int h = Math.max(1, g.dilationH() * (kh - 1) + 1 - 2 * g.padH()) + r.nextInt(4);
        int w = Math.max(1, g.dilationW() * (kw - 1) + 1 - 2 * g.padW()) + r.nextInt(4);
        int n = 1 + r.nextInt(2);
        Conv2d conv = Conv2d.builder(cin, cout, kh, kw).stride(g.strideH(), g.strideW()).padding(g.padH(), g.padW())
                .dilation(g.dilationH(), g.dilationW()).groups(groups).bias(bias).seed(seed).build();
        Parameter x = GradCheck.variable(GradCheck.random(r, n * cin * h * w, -2, 2), n, cin, h, w);
        Tensor probe = conv.forward(Tensor.of(x.data(), x.shape()), relu);
        float[] weights = GradCheck.random(r, probe.numel(), -1, 1);
        float[] mask = probe.toFloatArray();
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor t) {
                return conv.forward(t, relu);
            }
        };
        if (smallBlocks) {
            // im2col blocks of 1..3 rows, so every block edge of the GEMM path is crossed
            int kg = kh * kw * cinPerGroup;
            try (GradTape tape = GradTape.record()) {
                Tensor in = tape.leaf(x);
                Tensor input = channelsLast ? GradCheck.recordedChannelsLast(tape, in) : in;
                Tensor y = Tensor.fromEngine(dev.vquant.ops.conv.FloatConv2d.builder(dev.vquant.engine.FloatTensor.of(conv.weight().data(), conv.weight().shape()), conv.geometry()).groups(groups).bias(bias ? conv.bias().data() : null).relu(relu).build()
                        .forward(input.engineFloat("test")));
                ConvGrad.record(tape, input, y, tape.leaf(conv.weight()), bias ? tape.leaf(conv.bias()) : null, conv.geometry(), groups,
                        relu, kg * (1 + r.nextInt(3)));
                tape.backward(GradCheck.weightedSum(tape, y, weights));
            }
        } else {
            backward(m, x, channelsLast, weights);
        }
        double[] xs = GradCheck.widen(x.data());
        double[] ws = GradCheck.widen(conv.weight().data());
        double[] bs = bias ? GradCheck.widen(conv.bias().data()) : null;
        checkForward(Float64Reference.conv2d(xs, n, cin, h, w, ws, bs, cout, g, groups),
                conv.forward(Tensor.of(x.data(), x.shape()), false).toFloatArray(),
                GradCheck.maxAbs(Float64Reference.conv2d(abs(xs), n, cin, h, w, abs(ws), bs == null ? null : abs(bs), cout, g, groups)),
                "conv2d");
        // with the fused ReLU the loss keeps the probe's mask: the derivative threshold_backward defines
        java.util.function.ToDoubleFunction<double[]> loss = unused -> loss(weights,
                Float64Reference.conv2d(xs, n, cin, h, w, ws, bs, cout, g, groups), i -> !relu || mask[i] > 0);
        check(GradCheck.numeric64(xs, 0.5, loss), x.grad(), "dx");
        check(GradCheck.numeric64(ws, 0.5, loss), conv.weight().grad(), "dW");
        if (bias) {
            check(GradCheck.numeric64(bs, 0.5, loss), conv.bias().grad(), "db");
        }
    }

    /**
     * 400 tries (about a second): the rarest case, an average window hanging over the right
     * padding in ceil mode with count_include_pad, comes up in roughly 1 try of 60.
     */
    @Property(tries = 400)
    void pools(@ForAll @IntRange(min = 0, max = 2) int kind, @ForAll @IntRange(min = 1, max = 3) int k,
               @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll boolean ceil, @ForAll boolean countIncludePad,
               @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int kw = 1 + r.nextInt(3);
        int d = kind == 0 ? dilation : 1;
        // padding at most half the kernel, as PyTorch requires; the horizontal window drawn apart
        ConvGeometry g = new ConvGeometry(k, kw, stride, 1 + r.nextInt(3), r.nextInt(k / 2 + 1), r.nextInt(kw / 2 + 1), d, d);
        int h = Math.max(1, d * (k - 1) + 1 - 2 * g.padH()) + r.nextInt(4);
        int w = Math.max(1, d * (kw - 1) + 1 - 2 * g.padW()) + r.nextInt(4);
        int n = 1 + r.nextInt(2);
        int c = 1 + r.nextInt(3);
        int divisorOverride = kind == 1 && r.nextInt(4) == 0 ? 1 + r.nextInt(9) : 0;
        int oh = 1 + r.nextInt(h);
        int ow = 1 + r.nextInt(w);
        Module pool = switch (kind) {
            case 0 -> MaxPool2d.builder(k, kw).stride(g.strideH(), g.strideW()).padding(g.padH(), g.padW()).dilation(d).ceilMode(ceil)
                    .build();
            case 1 -> {
                AvgPool2d.Builder b = AvgPool2d.builder(k, kw).stride(g.strideH(), g.strideW()).padding(g.padH(), g.padW())
                        .ceilMode(ceil).countIncludePad(countIncludePad);
                yield divisorOverride > 0 ? b.divisorOverride(divisorOverride).build() : b.build();
            }
            default -> new AdaptiveAvgPool2d(oh, ow);
        };
        java.util.function.Function<double[], double[]> oracle = switch (kind) {
            case 0 -> v -> Float64Reference.maxPool2d(v, n, c, h, w, g, ceil);
            case 1 -> v -> Float64Reference.avgPool2d(v, n, c, h, w, g, ceil, countIncludePad, divisorOverride);
            default -> v -> Float64Reference.adaptiveAvgPool2d(v, n, c, h, w, oh, ow);
        };
        int numel = n * c * h * w;
        float[] data = new float[numel];
        int[] order = new int[numel];
        for (int i = 0; i < numel; i++) {
            order[i] = i;
        }
        for (int i = numel - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < numel; i++) {
            data[i] = (order[i] - numel / 2) * 0.01f;
        }
        Parameter x = GradCheck.variable(data, n, c, h, w);
        double[] xs = GradCheck.widen(data);
        double[] expected = oracle.apply(xs);
        checkForward(expected, pool.forward(Tensor.of(data, n, c, h, w)).toFloatArray(), GradCheck.maxAbs(xs), pool.toString());
        float[] weights = GradCheck.random(r, expected.length, -1, 1);
        backward(pool, x, channelsLast, weights);
        double[] dx = GradCheck.numeric64(xs, kind == 0 ? 1e-3 : 0.5, v -> loss(weights, oracle.apply(v), i -> true));
        check(dx, x.grad(), pool.toString());
    }

    /** The gradients of a convolution of a batch large enough to run in parallel, at a thread count. */
    private static float[][] convGradients(int threads, int groups, int k) {
        int before = dev.vquant.ops.core.Threads.get();
        dev.vquant.ops.core.Threads.set(threads);
        try {
            SplittableRandom r = new SplittableRandom(5);
            int c = 8;
            Conv2d conv = Conv2d.builder(c, c, k).padding(k / 2).groups(groups).seed(3).build();
            Parameter x = GradCheck.variable(GradCheck.random(r, 6 * c * 20 * 20, -1, 1), 6, c, 20, 20);
            float[] weights = GradCheck.random(r, 6 * c * 20 * 20, -1, 1);
            backward(conv, x, true, weights);
            return new float[][]{x.grad(), conv.weight().grad(), conv.bias().grad()};
        } finally {
            dev.vquant.ops.core.Threads.set(before);
        }
    }

    @org.junit.jupiter.api.Test
    void gradientsAreTheSameAtAnyThreadCount() {
        for (int groups : new int[]{1, 8}) {   // the GEMM path and the depthwise path
            float[][] one = convGradients(1, groups, 3);
            float[][] four = convGradients(4, groups, 3);
            for (int i = 0; i < one.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(one[i], four[i], 0f, "groups " + groups + ", gradient " + i);
            }
        }
    }
}
