package dev.vquant.ops.conv;

import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.GoldenFiles;
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
 * Conv2d over random geometry (groups incl. depthwise, stride, padding, dilation, 1x1): the
 * quantized operator is within one step of the float64 oracle, bit-identical on every engine to
 * the reference kernels with that engine's rules, and independent of the thread count; the float
 * twin is within float rounding of the oracle.
 */
class QConv2dPropertiesTest {

    private record Case(QTensor x, QTensor w, float[] bias, ConvGeometry g, int groups) {
    }

    private static Case randomCase(Rand r, int kind) {
        int groups = kind == 0 ? 1 : kind == 1 ? r.nextInt(2, 3) : 0;
        int cg = kind == 2 ? 1 : r.nextInt(1, 5);
        int og = kind == 2 ? 1 : r.nextInt(1, 6);
        if (kind == 2) {
            groups = r.nextInt(1, 20);
        }
        int k = r.nextInt(1, 3);
        boolean pointwise = r.nextInt(0, 3) == 0;
        ConvGeometry g = pointwise ? ConvGeometry.square(1, 1, 0)
                : new ConvGeometry(k, r.nextInt(1, 3), r.nextInt(1, 2), r.nextInt(1, 2), r.nextInt(0, 1), r.nextInt(0, 2),
                r.nextInt(1, 2), r.nextInt(1, 2));
        // sizes drawn so the dilated kernel always fits the padded input (no draw is discarded)
        int[] shape = {r.nextInt(1, 2), r.nextInt(FittingGeometry.minSize(g.kernelH(), g.padH(), g.dilationH()), 9),
                r.nextInt(FittingGeometry.minSize(g.kernelW(), g.padW(), g.dilationW()), 9), cg * groups};
        QTensor x = r.activation(shape);
        QTensor w = r.weight(new int[]{og * groups, cg, g.kernelH(), g.kernelW()}, r.nextBoolean());
        float[] bias = r.nextBoolean() ? r.floats(og * groups, -1f, 1f) : null;
        return new Case(x, w, bias, g, groups);
    }

    @Property(tries = 60)
    void quantized(@ForAll @IntRange(min = 0, max = 2) int kind, @ForAll boolean relu, @ForAll long seed) {
        Rand r = new Rand(seed);
        Case c = randomCase(r, kind);
        double outScale = r.scale(0.01, 0.3);
        int outZp = r.nextInt(0, 255);
        double[] ideal = Oracles.conv(c.x, c.w, c.bias, c.g, c.groups, outScale);
        for (KernelBackend e : Engines.installed()) {
            QConv2d op = QConv2d.builder(c.w, c.g).groups(c.groups).bias(c.bias).output(outScale, outZp).relu(relu).threads(1)
                    .engine(e).build();
            int[] got = GoldenFiles.ints(op.forward(c.x, e));
            int[] expected = GoldenFiles.ints(op.forward(c.x, ReferenceBackend.withNumerics(e.numerics())));
            assertArrayEquals(expected, got, e.name() + " path " + op.path() + " differs from the reference kernels");
            for (int i = 0; i < got.length; i++) {
                int want = Oracles.quantizeReal(ideal[i], outZp, relu ? outZp : 0);
                assertTrue(Math.abs(got[i] - want) <= 1, e.name() + " " + op.path() + " element " + i + ": " + got[i] + " vs " + want);
            }
            QConv2d threaded = QConv2d.builder(c.w, c.g).groups(c.groups).bias(c.bias).output(outScale, outZp).relu(relu)
                    .threads(3).engine(e).build();
            assertArrayEquals(got, GoldenFiles.ints(threaded.forward(c.x, e)), e.name() + " depends on the thread count");
        }
    }

    @Property(tries = 40)
    void floatTwin(@ForAll @IntRange(min = 0, max = 2) int kind, @ForAll boolean relu, @ForAll long seed) {
        Rand r = new Rand(seed);
        Case c = randomCase(r, kind);
        float[] xs = new float[c.x.numel()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Oracles.dq(c.x, i);
        }
        float[] ws = new float[c.w.numel()];
        for (int i = 0; i < ws.length; i++) {
            int o = i / (ws.length / c.w.dim(0));
            ws[i] = (float) ((c.w.intAt(i) - c.w.qparams().zeroPoint(o)) * c.w.qparams().scale(o));
        }
        // the quantized oracle at output scale 1 is the float convolution of the dequantized values
        double[] ideal = Oracles.conv(c.x, c.w, c.bias, c.g, c.groups, 1.0);
        for (KernelBackend e : Engines.installed()) {
            FloatConv2d op = FloatConv2d.builder(FloatTensor.of(ws, c.w.shape()), c.g).groups(c.groups).bias(c.bias).relu(relu).threads(2).engine(e).build();
            FloatTensor y = op.forward(FloatTensor.of(xs, c.x.shape()), e);
            FloatConv2d serial = FloatConv2d.builder(FloatTensor.of(ws, c.w.shape()), c.g).groups(c.groups).bias(c.bias).relu(relu).threads(1).engine(e).build();
            assertArrayEquals(serial.forward(FloatTensor.of(xs, c.x.shape()), e).data(), y.data(), e.name() + " depends on threads");
            assertEquals(ideal.length, y.numel());
            for (int i = 0; i < ideal.length; i++) {
                double want = relu ? Math.max(ideal[i], 0) : ideal[i];
                assertTrue(Math.abs(y.data()[i] - want) <= 1e-4 * (1 + Math.abs(want)), e.name() + " element " + i + ": "
                        + y.data()[i] + " vs " + want);
            }
        }
    }
}
