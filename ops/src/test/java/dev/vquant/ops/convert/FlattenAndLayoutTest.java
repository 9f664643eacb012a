package dev.vquant.ops.convert;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Flatten gives PyTorch's NCHW feature order from NHWC data; layout moves are inverse permutations. */
class FlattenAndLayoutTest {

    @Property(tries = 30)
    void flattenIsChannelMajor(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 5) int h,
                               @ForAll @IntRange(min = 1, max = 5) int w, @ForAll @IntRange(min = 1, max = 6) int c,
                               @ForAll long seed) {
        Rand r = new Rand(seed);
        QTensor x = r.activation(new int[]{n, h, w, c});
        QTensor y = new Flatten().forward(x);
        assertArrayEquals(new int[]{n, c * h * w}, y.shape());
        assertEquals(x.qparams(), y.qparams());
        float[] xf = r.floats(n * h * w * c, -1, 1);
        FloatTensor yf = new Flatten().forward(FloatTensor.of(xf, n, h, w, c));
        for (int b = 0; b < n; b++) {
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        int nhwc = ((b * h + yy) * w + xx) * c + ch;
                        int feature = (ch * h + yy) * w + xx;
                        assertEquals(x.intAt(nhwc), y.intAt(b * c * h * w + feature));
                        assertEquals(xf[nhwc], yf.data()[b * c * h * w + feature]);
                    }
                }
            }
        }
        byte[] back = Layout.nchwToNhwc(Layout.nhwcToNchw(x.bytes(), n, h, w, c), n, c, h, w);
        assertArrayEquals(x.bytes(), back);
    }
}
