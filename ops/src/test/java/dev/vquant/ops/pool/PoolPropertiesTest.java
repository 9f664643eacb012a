package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Oracles;
import dev.vquant.ops.testing.Rand;
import dev.vquant.engine.testing.FittingGeometry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pooling against float64 oracles over the same windows: max exact, average and adaptive average
 * within one step (float32 multiplier), float twins within float rounding; thread-count invariant.
 */
class PoolPropertiesTest {

    @Property(tries = 40)
    void windows(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                 @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
                 @ForAll boolean includePad, @ForAll long seed) {
        pad = Math.min(pad, k / 2); // PyTorch's pooling requires pad <= kernel / 2
        Rand r = new Rand(seed);
        int minSize = Math.max(k, FittingGeometry.minSize(k, pad, dilation));
        int h = r.nextInt(minSize, 9);
        int w = r.nextInt(minSize, 9);
        int c = r.nextInt(1, 20);
        QTensor x = r.activation(new int[]{2, h, w, c});
        ConvGeometry maxG = new ConvGeometry(k, k, stride, stride, pad, pad, dilation, dilation);
        QTensor mx = QMaxPool2d.builder(maxG).threads(1).build().forward(x, Engines.reference());
        assertArrayEquals(mx.bytes(), QMaxPool2d.builder(maxG).threads(3).build().forward(x, Engines.reference()).bytes());
        ConvGeometry avgG = new ConvGeometry(k, k, stride, stride, pad, pad, 1, 1);
        QTensor avg = QAvgPool2d.builder(avgG).countIncludePad(includePad).threads(2).build().forward(x, Engines.reference());
        float[] xf = new float[x.numel()];
        for (int i = 0; i < xf.length; i++) {
            xf[i] = (float) Oracles.dq(x, i);
        }
        FloatTensor fmax = FloatPool2d.max(maxG).threads(2).build().forward(FloatTensor.of(xf, x.shape()), Engines.reference());
        FloatTensor favg = FloatPool2d.average(avgG).countIncludePad(includePad).threads(2).build().forward(FloatTensor.of(xf, x.shape()), Engines.reference());
        int zp = x.qparams().zeroPoint(0);
        double s = x.qparams().scale(0);
        int oh = mx.dim(1);
        int ow = mx.dim(2);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    int best = 0;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * stride - pad + ky * dilation;
                            int ix = ox * stride - pad + kx * dilation;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                best = Math.max(best, x.intAt(((h + iy) * w + ix) * c + ch));
                            }
                        }
                    }
                    int o = ((oh + oy) * ow + ox) * c + ch;
                    assertEquals(best, mx.intAt(o), "max at " + o);
                    assertEquals((float) ((best - zp) * s), fmax.data()[o], "float max at " + o);
                }
            }
        }
        int aoh = avg.dim(1);
        int aow = avg.dim(2);
        for (int oy = 0; oy < aoh; oy++) {
            for (int ox = 0; ox < aow; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    double[] mean = windowMean(x, 1, ch, oy * stride - pad, ox * stride - pad, k, pad, includePad);
                    int o = ((aoh + oy) * aow + ox) * c + ch;
                    int want = Oracles.quantizeReal(mean[0], zp, 0);
                    assertTrue(Math.abs(avg.intAt(o) - want) <= 1, "avg at " + o + ": " + avg.intAt(o) + " vs " + want);
                    assertEquals(mean[0] * s, favg.data()[o], 1e-4 * (1 + Math.abs(mean[1] * s)), "float avg at " + o);
                }
            }
        }
    }

    /**
     * {mean, sum} of {@code q - zp} over the in-image taps of the window starting at {@code (ys, xs)}
     * of image {@code n}, divided as PyTorch's average pool does: by the window's extent inside the
     * padding (count_include_pad; a ceil_mode window past the right padding counts only up to it)
     * or by the in-image taps.
     */
    private static double[] windowMean(QTensor x, int n, int ch, int ys, int xs, int k, int pad, boolean includePad) {
        int h = x.dim(1);
        int w = x.dim(2);
        int c = x.dim(3);
        int zp = x.qparams().zeroPoint(0);
        int divisor = includePad
                ? (Math.min(ys + k, h + pad) - ys) * (Math.min(xs + k, w + pad) - xs)
                : (Math.min(ys + k, h) - Math.max(ys, 0)) * (Math.min(xs + k, w) - Math.max(xs, 0));
        double sum = 0;
        for (int iy = Math.max(ys, 0); iy < Math.min(ys + k, h); iy++) {
            for (int ix = Math.max(xs, 0); ix < Math.min(xs + k, w); ix++) {
                sum += x.intAt(((n * h + iy) * w + ix) * c + ch) - zp;
            }
        }
        return new double[] {sum / divisor, sum};
    }

    /**
     * PyTorch's ceil_mode output size, counted window by window: window {@code n} exists while it
     * starts inside the input ({@code n*stride - pad < in}) and a partial last window is allowed
     * ({@code n*stride <= in + 2*pad - k + stride - 1}, the rounded-up count).
     */
    private static int ceilOutputs(int in, int k, int stride, int pad) {
        int n = 0;
        while (n * stride - pad < in && n * stride <= in + 2 * pad - k + stride - 1) {
            n++;
        }
        return n;
    }

    @Property(tries = 40)
    void ceilMode(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                  @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll boolean includePad, @ForAll long seed) {
        pad = Math.min(pad, k / 2);
        Rand r = new Rand(seed);
        int h = r.nextInt(k, 9);
        int w = r.nextInt(k, 9);
        int c = r.nextInt(1, 20);
        QTensor x = r.activation(new int[]{1, h, w, c});
        ConvGeometry g = ConvGeometry.square(k, stride, pad);
        QTensor mx = QMaxPool2d.builder(g).ceilMode(true).threads(2).build().forward(x, Engines.reference());
        QTensor avg = QAvgPool2d.builder(g).ceilMode(true).countIncludePad(includePad).threads(2).build().forward(x, Engines.reference());
        int oh = ceilOutputs(h, k, stride, pad);
        int ow = ceilOutputs(w, k, stride, pad);
        assertArrayEquals(new int[]{1, oh, ow, c}, mx.shape(), "ceil_mode max shape for " + h + "x" + w);
        assertArrayEquals(new int[]{1, oh, ow, c}, avg.shape(), "ceil_mode avg shape for " + h + "x" + w);
        int zp = x.qparams().zeroPoint(0);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int ys = oy * stride - pad;
                int xs = ox * stride - pad;
                for (int ch = 0; ch < c; ch++) {
                    int best = 0;
                    for (int iy = Math.max(ys, 0); iy < Math.min(ys + k, h); iy++) {
                        for (int ix = Math.max(xs, 0); ix < Math.min(xs + k, w); ix++) {
                            best = Math.max(best, x.intAt((iy * w + ix) * c + ch));
                        }
                    }
                    int o = (oy * ow + ox) * c + ch;
                    assertEquals(best, mx.intAt(o), "ceil_mode max at " + o);
                    int want = Oracles.quantizeReal(windowMean(x, 0, ch, ys, xs, k, pad, includePad)[0], zp, 0);
                    assertTrue(Math.abs(avg.intAt(o) - want) <= 1, "ceil_mode avg at " + o + ": " + avg.intAt(o) + " vs " + want);
                }
            }
        }
    }

    @Property(tries = 30)
    void adaptive(@ForAll @IntRange(min = 1, max = 12) int h, @ForAll @IntRange(min = 1, max = 12) int w,
                  @ForAll @IntRange(min = 1, max = 5) int oh, @ForAll @IntRange(min = 1, max = 5) int ow, @ForAll long seed) {
        Rand r = new Rand(seed);
        int c = r.nextInt(1, 20);
        QTensor x = r.activation(new int[]{1, h, w, c});
        QTensor y = QAdaptiveAvgPool2d.builder(oh, ow).threads(2).build().forward(x, Engines.reference());
        float[] xf = new float[x.numel()];
        for (int i = 0; i < xf.length; i++) {
            xf[i] = (float) Oracles.dq(x, i);
        }
        FloatTensor yf = FloatAdaptiveAvgPool2d.builder(oh, ow).threads(2).build().forward(FloatTensor.of(xf, x.shape()), Engines.reference());
        int zp = x.qparams().zeroPoint(0);
        for (int oy = 0; oy < oh; oy++) {
            int y0 = Math.floorDiv(oy * h, oh);
            int y1 = -Math.floorDiv(-(oy + 1) * h, oh);
            for (int ox = 0; ox < ow; ox++) {
                int x0 = Math.floorDiv(ox * w, ow);
                int x1 = -Math.floorDiv(-(ox + 1) * w, ow);
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            sum += x.intAt((iy * w + ix) * c + ch) - zp;
                        }
                    }
                    double mean = sum / ((y1 - y0) * (x1 - x0));
                    int o = (oy * ow + ox) * c + ch;
                    assertTrue(Math.abs(y.intAt(o) - Oracles.quantizeReal(mean, zp, 0)) <= 1, "adaptive at " + o);
                    assertEquals(mean * x.qparams().scale(0), yf.data()[o], 1e-4, "float adaptive at " + o);
                }
            }
        }
    }
}
