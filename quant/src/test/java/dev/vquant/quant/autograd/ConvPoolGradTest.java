package dev.vquant.quant.autograd;

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

/**
 * Convolution and pooling backwards against central differences of the modules' own float32
 * forwards (which FloatModulesPropertiesTest checks against PyTorch's definitions). Convolution
 * is linear in the input and in the weight, average pooling in the input, so a difference over a
 * step of 0.5 is exact but for the forward's float32 rounding: at most ~K * 2^-24 of the sum of
 * absolute terms, K <= 27 taps, i.e. below 1e-5 relative to the gradient's scale. Max pooling
 * selects input values exactly; its inputs are distinct by construction (a permutation of a grid
 * with spacing 0.01), so a step of 1e-3 never changes which tap wins.
 */
class ConvPoolGradTest {

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
        GradCheck.assertClose(expected, actual, 2e-5, GradCheck.maxAbs(expected), what);
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
        int h = Math.max(1, dilation * (kh - 1) + 1 - 2 * pad) + r.nextInt(4);
        int w = Math.max(1, dilation * (kw - 1) + 1 - 2 * pad) + r.nextInt(4);
        int n = 1 + r.nextInt(2);
        Conv2d conv = Conv2d.builder(cin, cout, kh, kw).stride(stride).padding(pad).dilation(dilation).groups(groups).bias(bias)
                .seed(seed).build();
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
        // with the fused ReLU the loss keeps the probe's mask: the derivative threshold_backward defines
        java.util.function.DoubleSupplier loss = () -> {
            Tensor y = conv.forward(Tensor.of(x.data(), x.shape()), false);
            float[] v = y.toFloatArray();
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                s += relu && mask[i] <= 0 ? 0 : (double) weights[i] * v[i];
            }
            return s;
        };
        check(GradCheck.numericFloat(x.data(), 0.5, loss), x.grad(), "dx");
        check(GradCheck.numericFloat(conv.weight().data(), 0.5, () -> {
            conv.weight().markModified();
            return loss.getAsDouble();
        }), conv.weight().grad(), "dW");
        if (bias) {
            check(GradCheck.numericFloat(conv.bias().data(), 0.5, () -> {
                conv.bias().markModified();
                return loss.getAsDouble();
            }), conv.bias().grad(), "db");
        }
    }

    @Property(tries = 80)
    void pools(@ForAll @IntRange(min = 0, max = 2) int kind, @ForAll @IntRange(min = 1, max = 3) int k,
               @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll boolean ceil, @ForAll boolean countIncludePad,
               @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int pad = r.nextInt(k / 2 + 1);
        int span = (kind == 0 ? dilation : 1) * (k - 1) + 1;
        int h = Math.max(1, span - 2 * pad) + r.nextInt(4);
        int w = Math.max(1, span - 2 * pad) + r.nextInt(4);
        int n = 1 + r.nextInt(2);
        int c = 1 + r.nextInt(3);
        Module pool = switch (kind) {
            case 0 -> MaxPool2d.builder(k).stride(stride).padding(pad).dilation(dilation).ceilMode(ceil).build();
            case 1 -> AvgPool2d.builder(k).stride(stride).padding(pad).ceilMode(ceil).countIncludePad(countIncludePad).build();
            default -> new AdaptiveAvgPool2d(1 + r.nextInt(h), 1 + r.nextInt(w));
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
        float[] weights = GradCheck.random(r, pool.forward(Tensor.of(data, n, c, h, w)).numel(), -1, 1);
        backward(pool, x, channelsLast, weights);
        double[] expected = GradCheck.numericFloat(x.data(), kind == 0 ? 1e-3 : 0.5,
                () -> GradCheck.dot(weights, pool.forward(Tensor.of(x.data(), x.shape()))));
        check(expected, x.grad(), pool.toString());
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
