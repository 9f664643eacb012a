package dev.vquant.ops.core;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.pool.QAvgPool2d;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Results do not depend on the thread count: shapes above {@link GemmSplit#MIN_PARALLEL_WORK} (so
 * the work really is split, by rows or by columns) give bit-identical outputs at 1, 2 and 3
 * threads, on every engine, int8 and float.
 */
class ThreadInvarianceTest {

    @Property(tries = 12)
    void linear(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 64, max = 200) int k,
                @ForAll @IntRange(min = 130, max = 400) int n, @ForAll long seed) {
        Rand r = new Rand(seed);
        QTensor w = r.weight(new int[]{n, k}, true);
        float[] bias = r.floats(n, -1, 1);
        QTensor x = r.activation(new int[]{m, k});
        FloatTensor xf = FloatTensor.of(r.floats(m * k, -2, 2), m, k);
        FloatTensor wf = FloatTensor.of(r.floats(n * k, -1, 1), n, k);
        for (KernelBackend e : Engines.installed()) {
            byte[] q1 = null;
            float[] d1 = null;
            float[] f1 = null;
            for (int t = 1; t <= 3; t++) {
                byte[] q = QLinear.builder(w).bias(bias).output(0.3, 100).threads(t).engine(e).build().forward(x, e).bytes();
                float[] d = DynamicQLinear.builder(w).bias(bias).threads(t).engine(e).build().forward(xf, e).data();
                float[] f = FloatLinear.builder(wf).bias(bias).threads(t).engine(e).build().forward(xf, e).data();
                if (t == 1) {
                    q1 = q;
                    d1 = d;
                    f1 = f;
                } else {
                    assertArrayEquals(q1, q, e.name() + " QLinear at " + t + " threads");
                    assertArrayEquals(d1, d, e.name() + " DynamicLinear at " + t + " threads");
                    assertArrayEquals(f1, f, e.name() + " FloatLinear at " + t + " threads");
                }
            }
        }
    }

    @Property(tries = 9)
    void conv(@ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        Rand r = new Rand(seed);
        int h = r.nextInt(12, 24);
        int w = r.nextInt(12, 24);
        int cin = kind == 2 ? r.nextInt(8, 40) : r.nextInt(4, 24);
        int groups = kind == 2 ? cin : 1;
        int cout = kind == 2 ? cin : r.nextInt(8, 40);
        ConvGeometry g = kind == 1 ? ConvGeometry.square(1, 1, 0) : ConvGeometry.square(3, r.nextInt(1, 2), 1);
        QTensor wt = r.weight(new int[]{cout, cin / groups, g.kernelH(), g.kernelW()}, true);
        QTensor x = r.activation(new int[]{2, h, w, cin});
        FloatTensor wf = FloatTensor.of(r.floats(wt.numel(), -1, 1), wt.shape());
        FloatTensor xf = FloatTensor.of(r.floats(x.numel(), -1, 1), x.shape());
        float[] bias = r.floats(cout, -1, 1);
        for (KernelBackend e : Engines.installed()) {
            byte[] q1 = QConv2d.builder(wt, g).groups(groups).bias(bias).output(0.2, 90).threads(1).engine(e).build()
                    .forward(x, e).bytes();
            float[] f1 = FloatConv2d.builder(wf, g).groups(groups).bias(bias).threads(1).engine(e).build().forward(xf, e).data();
            byte[] p1 = QAvgPool2d.builder(ConvGeometry.square(3, 1, 1)).threads(1).build().forward(x, e).bytes();
            for (int t = 2; t <= 3; t++) {
                assertArrayEquals(q1, QConv2d.builder(wt, g).groups(groups).bias(bias).output(0.2, 90).threads(t).engine(e).build()
                        .forward(x, e).bytes(), e.name() + " QConv2d at " + t + " threads");
                assertArrayEquals(f1, FloatConv2d.builder(wf, g).groups(groups).bias(bias).threads(t).engine(e).build().forward(xf, e).data(),
                        e.name() + " FloatConv2d at " + t + " threads");
                assertArrayEquals(p1, QAvgPool2d.builder(ConvGeometry.square(3, 1, 1)).threads(t).build().forward(x, e).bytes());
            }
        }
    }
}
