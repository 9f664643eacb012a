package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Float modules against float64 oracles written from PyTorch's definitions, on random shapes
 * whose geometry is valid by construction (sizes drawn from the smallest input the window fits).
 * Tolerances: float32 rounding of sums, relative to the sum of absolute terms.
 */
class FloatModulesPropertiesTest {

    static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return x;
    }

    /** The input as a Tensor, channels-last when asked (the modules must accept both). */
    static Tensor input(float[] nchw, boolean channelsLast, int... shape) {
        Tensor t = Tensor.of(nchw, shape);
        return channelsLast ? t.toChannelsLast() : t;
    }

    static void close(double expected, double absSum, float actual, String what) {
        assertEquals(expected, actual, 1e-5 * absSum + 1e-6, what);
    }

    @Property(tries = 60)
    void conv2dMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 3) int groups, @ForAll @IntRange(min = 1, max = 3) int cinPerGroup,
                                    @ForAll @IntRange(min = 1, max = 3) int coutPerGroup, @ForAll @IntRange(min = 1, max = 3) int kh,
                                    @ForAll @IntRange(min = 1, max = 3) int kw, @ForAll @IntRange(min = 1, max = 3) int stride,
                                    @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                                    @ForAll boolean bias, @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int cin = groups * cinPerGroup;
        int cout = groups * coutPerGroup;
        // the smallest input the dilated kernel fits with this padding, plus 0..4
        int h = Math.max(1, dilation * (kh - 1) + 1 - 2 * pad) + r.nextInt(5);
        int w = Math.max(1, dilation * (kw - 1) + 1 - 2 * pad) + r.nextInt(5);
        int n = 1 + r.nextInt(2);
        Conv2d conv = Conv2d.builder(cin, cout, kh, kw).stride(stride).padding(pad).dilation(dilation).groups(groups).bias(bias)
                .seed(seed).build();
        float[] x = random(r, n * cin * h * w);
        Tensor y = conv.forward(input(x, channelsLast, n, cin, h, w));
        int oh = (h + 2 * pad - dilation * (kh - 1) - 1) / stride + 1;
        int ow = (w + 2 * pad - dilation * (kw - 1) - 1) / stride + 1;
        assertArrayEquals(new int[]{n, cout, oh, ow}, y.shape());
        float[] got = y.toFloatArray();
        float[] wt = conv.weight().data();
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < cout; o++) {
                int g = o / coutPerGroup;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = bias ? conv.bias().data()[o] : 0;
                        double abs = Math.abs(sum);
                        for (int c = 0; c < cinPerGroup; c++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = oy * stride - pad + ky * dilation;
                                    int ix = ox * stride - pad + kx * dilation;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        double t = (double) x[((b * cin + g * cinPerGroup + c) * h + iy) * w + ix]
                                                * wt[((o * cinPerGroup + c) * kh + ky) * kw + kx];
                                        sum += t;
                                        abs += Math.abs(t);
                                    }
                                }
                            }
                        }
                        close(sum, abs, got[((b * cout + o) * oh + oy) * ow + ox], "y[" + b + "," + o + "," + oy + "," + ox + "]");
                    }
                }
            }
        }
    }

    @Property(tries = 60)
    void linearMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 40) int in, @ForAll @IntRange(min = 1, max = 20) int out,
                                    @ForAll @IntRange(min = 1, max = 3) int rank, @ForAll boolean bias, @ForAll boolean relu,
                                    @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = new int[rank];
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) {
            shape[d] = 1 + r.nextInt(3);
            rows *= shape[d];
        }
        shape[rank - 1] = in;
        Linear linear = new Linear(in, out, bias, seed);
        float[] x = random(r, rows * in);
        float[] got = linear.forward(Tensor.of(x, shape), relu).toFloatArray();
        assertEquals(rows * out, got.length);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < out; j++) {
                double sum = bias ? linear.bias().data()[j] : 0;
                double abs = Math.abs(sum);
                for (int k = 0; k < in; k++) {
                    double t = (double) x[i * in + k] * linear.weight().data()[j * in + k];
                    sum += t;
                    abs += Math.abs(t);
                }
                close(relu ? Math.max(sum, 0) : sum, abs, got[i * out + j], "y[" + i + "," + j + "]");
            }
        }
    }

    @Property(tries = 60)
    void batchNormMatchesTheDefinitionInBothModes(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 3) int n,
                                                  @ForAll @IntRange(min = 1, max = 4) int h, @ForAll @IntRange(min = 1, max = 4) int w,
                                                  @ForAll boolean train, @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        // training needs more than one value per channel: n*h*w >= 2 by construction
        int height = train && n * h * w == 1 ? 2 : h;
        BatchNorm2d bn = new BatchNorm2d(c);
        bn.weight().copyFrom(random(r, c));
        bn.bias().copyFrom(random(r, c));
        float[] var = random(r, c);
        for (int i = 0; i < c; i++) {
            var[i] = Math.abs(var[i]) + 0.1f;
        }
        float[] mean0 = random(r, c);
        bn.runningMean().copyFrom(mean0);
        bn.runningVar().copyFrom(var);
        bn.train(train);
        float[] x = random(r, n * c * height * w);
        float[] got = bn.forward(input(x, channelsLast, n, c, height, w)).toFloatArray();
        int hw = height * w;
        for (int ch = 0; ch < c; ch++) {
            double m = mean0[ch];
            double v = var[ch];
            double sum = 0;
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    sum += x[(b * c + ch) * hw + i];
                }
            }
            double bm = sum / (n * hw);
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    double d = x[(b * c + ch) * hw + i] - bm;
                    sq += d * d;
                }
            }
            if (train) {
                m = bm;
                v = sq / (n * hw);
                assertEquals(0.9 * mean0[ch] + 0.1 * bm, bn.runningMean().data()[ch], 1e-6, "running_mean " + ch);
                assertEquals(0.9 * var[ch] + 0.1 * sq / (n * hw - 1), bn.runningVar().data()[ch], 1e-5, "running_var " + ch);
            }
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    int at = (b * c + ch) * hw + i;
                    double want = (x[at] - m) / Math.sqrt(v + 1e-5) * bn.weight().data()[ch] + bn.bias().data()[ch];
                    assertEquals(want, got[at], 2e-5 * (1 + Math.abs(want)) + 1e-4 * Math.abs(bn.weight().data()[ch]), "y at " + at);
                }
            }
        }
        assertEquals(train ? 1f : 0f, bn.numBatchesTracked().data()[0]);
    }

    @Property(tries = 80)
    void poolsMatchTheDefinition(@ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                                 @ForAll @IntRange(min = 0, max = 2) int padDraw, @ForAll @IntRange(min = 1, max = 2) int dilation,
                                 @ForAll boolean ceil, @ForAll boolean includePad, @ForAll @IntRange(min = 0, max = 3) int divisor,
                                 @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int pad = Math.min(padDraw, k / 2); // PyTorch requires pad <= kernel / 2
        int c = 1 + r.nextInt(4);
        int h = Math.max(1, dilation * (k - 1) + 1 - 2 * pad) + r.nextInt(5);
        int w = Math.max(1, dilation * (k - 1) + 1 - 2 * pad) + r.nextInt(5);
        int hAvg = Math.max(1, k - 2 * pad) + r.nextInt(5);
        float[] x = random(r, 2 * c * h * w);
        MaxPool2d max = MaxPool2d.builder(k).stride(stride).padding(pad).dilation(dilation).ceilMode(ceil).build();
        float[] gotMax = max.forward(input(x, channelsLast, 2, c, h, w)).toFloatArray();
        int ohMax = outSize(h, k, stride, pad, dilation, ceil);
        int owMax = outSize(w, k, stride, pad, dilation, ceil);
        assertEquals(2 * c * ohMax * owMax, gotMax.length, "max output size");
        for (int b = 0; b < 2 * c; b++) {
            for (int oy = 0; oy < ohMax; oy++) {
                for (int ox = 0; ox < owMax; ox++) {
                    double best = Double.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * stride - pad + ky * dilation;
                            int ix = ox * stride - pad + kx * dilation;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                best = Math.max(best, x[(b * h + iy) * w + ix]);
                            }
                        }
                    }
                    assertEquals(best, gotMax[(b * ohMax + oy) * owMax + ox], "max at " + b + "," + oy + "," + ox);
                }
            }
        }
        AvgPool2d.Builder ab = AvgPool2d.builder(k).stride(stride).padding(pad).ceilMode(ceil).countIncludePad(includePad);
        if (divisor > 0) {
            ab.divisorOverride(divisor);
        }
        float[] xa = random(r, 2 * c * hAvg * w);
        float[] gotAvg = ab.build().forward(input(xa, channelsLast, 2, c, hAvg, w)).toFloatArray();
        int oh = outSize(hAvg, k, stride, pad, 1, ceil);
        int ow = outSize(w, k, stride, pad, 1, ceil);
        assertEquals(2 * c * oh * ow, gotAvg.length, "avg output size");
        for (int b = 0; b < 2 * c; b++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    // PyTorch's avg_pool2d: window [start, min(start + k, in + pad)) for the padded count, clipped to the image for the sum
                    int ys = oy * stride - pad;
                    int xs = ox * stride - pad;
                    int ye = Math.min(ys + k, hAvg + pad);
                    int xe = Math.min(xs + k, w + pad);
                    int padded = (ye - ys) * (xe - xs);
                    int y0 = Math.max(ys, 0);
                    int x0 = Math.max(xs, 0);
                    int y1 = Math.min(ye, hAvg);
                    int x1 = Math.min(xe, w);
                    double sum = 0;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            sum += xa[(b * hAvg + iy) * w + ix];
                        }
                    }
                    int div = divisor > 0 ? divisor : includePad ? padded : (y1 - y0) * (x1 - x0);
                    assertEquals(sum / div, gotAvg[(b * oh + oy) * ow + ox], 1e-5, "avg at " + b + "," + oy + "," + ox);
                }
            }
        }
    }

    /** PyTorch's pooling_output_shape. */
    static int outSize(int in, int k, int s, int p, int d, boolean ceil) {
        int num = in + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
        int out = Math.floorDiv(num, s) + 1;
        if (ceil && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }

    @Property(tries = 40)
    void adaptiveAveragePoolMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                                 @ForAll @IntRange(min = 1, max = 5) int oh, @ForAll @IntRange(min = 1, max = 5) int ow,
                                                 @ForAll boolean channelsLast, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = 1 + r.nextInt(4);
        float[] x = random(r, c * h * w);
        float[] got = new AdaptiveAvgPool2d(oh, ow).forward(input(x, channelsLast, 1, c, h, w)).toFloatArray();
        for (int ch = 0; ch < c; ch++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int y0 = oy * h / oh;
                    int y1 = ((oy + 1) * h + oh - 1) / oh;
                    int x0 = ox * w / ow;
                    int x1 = ((ox + 1) * w + ow - 1) / ow;
                    double sum = 0;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            sum += x[(ch * h + iy) * w + ix];
                        }
                    }
                    assertEquals(sum / ((y1 - y0) * (x1 - x0)), got[(ch * oh + oy) * ow + ox], 1e-5, "at " + ch + "," + oy + "," + ox);
                }
            }
        }
    }
}
