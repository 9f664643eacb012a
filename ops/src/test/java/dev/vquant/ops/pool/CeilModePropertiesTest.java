package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.testing.Engines;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ceil_mode pooling: PyTorch's output size (rounded up, but no window starting past the input and
 * its left padding), the same values as floor mode where the windows are the same, and the extra
 * edge windows reduced over their clipped taps (average divisor clipped at {@code in + pad}).
 */
class CeilModePropertiesTest {

    @Property(tries = 60)
    void ceilModeExtendsFloorMode(@ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                                  @ForAll @IntRange(min = 0, max = 2) int padDraw, @ForAll boolean includePad, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int pad = Math.min(padDraw, k / 2);
        int h = Math.max(1, k - 2 * pad) + r.nextInt(6);
        int w = Math.max(1, k - 2 * pad) + r.nextInt(6);
        int c = 1 + r.nextInt(3);
        float[] x = new float[h * w * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-2, 2);
        }
        FloatTensor in = FloatTensor.of(x, 1, h, w, c);
        ConvGeometry g = ConvGeometry.square(k, stride, pad);
        for (boolean max : new boolean[]{true, false}) {
            FloatPool2d floor = max ? FloatPool2d.max(g).threads(1).build() : FloatPool2d.average(g).countIncludePad(includePad).threads(1).build();
            FloatPool2d ceil = max ? FloatPool2d.max(g).ceilMode(true).threads(1).build() : FloatPool2d.average(g).ceilMode(true).countIncludePad(includePad).threads(1).build();
            FloatTensor f = floor.forward(in, Engines.reference());
            FloatTensor e = ceil.forward(in, Engines.reference());
            int oh = ceilOut(h, k, stride, pad);
            int ow = ceilOut(w, k, stride, pad);
            assertArrayEquals(new int[]{1, oh, ow, c}, e.shape(), "ceil output size");
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        float got = e.data()[(oy * ow + ox) * c + ch];
                        if (oy < f.dim(1) && ox < f.dim(2)) {
                            assertEquals(f.data()[(oy * f.dim(2) + ox) * c + ch], got, "same window as floor mode");
                        } else {
                            assertEquals(edge(x, h, w, c, ch, oy * stride - pad, ox * stride - pad, k, pad, max, includePad), got, 1e-6,
                                    "edge window " + oy + "," + ox);
                        }
                    }
                }
            }
        }
    }

    /** PyTorch's pooling_output_shape with ceil_mode. */
    static int ceilOut(int in, int k, int s, int p) {
        int out = Math.floorDiv(in + 2 * p - k + s - 1, s) + 1;
        return (out - 1) * s >= in + p ? out - 1 : out;
    }

    static double edge(float[] x, int h, int w, int c, int ch, int ys, int xs, int k, int pad, boolean max, boolean includePad) {
        double acc = max ? Double.NEGATIVE_INFINITY : 0;
        int taps = 0;
        for (int iy = Math.max(ys, 0); iy < Math.min(ys + k, h); iy++) {
            for (int ix = Math.max(xs, 0); ix < Math.min(xs + k, w); ix++) {
                float v = x[(iy * w + ix) * c + ch];
                acc = max ? Math.max(acc, v) : acc + v;
                taps++;
            }
        }
        int padded = (Math.min(ys + k, h + pad) - ys) * (Math.min(xs + k, w + pad) - xs);
        return max ? acc : acc / (includePad ? padded : taps);
    }
}
