package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.convert.DeQuantize;
import dev.vquant.ops.convert.Flatten;
import dev.vquant.ops.convert.Quantize;
import dev.vquant.ops.elementwise.QAdd;
import dev.vquant.ops.elementwise.QBatchNorm2d;
import dev.vquant.ops.elementwise.QCat;
import dev.vquant.ops.elementwise.QHardswish;
import dev.vquant.ops.elementwise.QMul;
import dev.vquant.ops.elementwise.QRelu;
import dev.vquant.ops.elementwise.QRelu6;
import dev.vquant.ops.elementwise.QSigmoid;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.pool.QAdaptiveAvgPool2d;
import dev.vquant.ops.pool.QAvgPool2d;
import dev.vquant.ops.pool.QMaxPool2d;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every quantized operator that takes its output from {@link OutputArena} writes every output
 * element: run inside a poisoning arena (a different poison each scope), twice, its result equals
 * the result without a scope bit for bit, and the second scope allocates nothing.
 */
class OutputArenaOperatorsTest {

    /** An operator call; {@code copies} when its output is a new array (Flatten of H = W = 1 only reshapes). */
    private record Case(String name, Supplier<Object> run, boolean copies) {
        Case(String name, Supplier<Object> run) {
            this(name, run, true);
        }
    }

    @Property(tries = 25)
    void operatorsWriteEveryOutputElementAndReuseTheirArrays(@ForAll long seed) {
        for (KernelBackend e : Engines.installed()) {
            for (Case c : cases(new Rand(seed), e)) {
                String what = "seed " + seed + ", " + e.name() + ", " + c.name();
                Object want = c.run().get();
                OutputArena arena = OutputArena.poisoning();
                long allocated = -1;
                for (int pass = 0; pass < 2; pass++) {
                    try (OutputArena.Scope s = arena.enter()) {
                        Object got = c.run().get();
                        assertSame(want, got, what + ", pass " + pass);
                    }
                    if (pass == 0) {
                        allocated = arena.allocations();
                        assertTrue(allocated > 0 || !c.copies(), what + ": output not taken from the arena");
                    }
                }
                assertEquals(allocated, arena.allocations(), what + ": the second scope allocated");
            }
        }
    }

    private static void assertSame(Object want, Object got, String what) {
        if (want instanceof QTensor w) {
            QTensor g = (QTensor) got;
            assertArrayEquals(w.shape(), g.shape(), what + " shape");
            assertEquals(w.qparams(), g.qparams(), what + " qparams");
            assertArrayEquals(w.bytes(), g.bytes(), what + " values");
        } else {
            FloatTensor w2 = (FloatTensor) want;
            FloatTensor g = (FloatTensor) got;
            assertArrayEquals(w2.shape(), g.shape(), what + " shape");
            float[] a = w2.data();
            float[] b = g.data();
            assertEquals(a.length, b.length, what + " length");
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), what + " element " + i);
            }
        }
    }

    /** One instance of every converted operator, on random shapes (every conv path, both BatchNorm paths). */
    private static List<Case> cases(Rand r, KernelBackend e) {
        int n = r.nextInt(1, 2);
        int h = r.nextInt(1, 18);
        int w = r.nextInt(1, 18);
        int c = r.nextInt(1, 40);
        int[] nhwc = {n, h, w, c};
        QTensor x = r.activation(nhwc);
        QTensor x2 = r.activation(nhwc);
        List<Case> cases = new ArrayList<>();

        int cout = r.nextInt(1, 24);
        QConv2d im2col = QConv2d.builder(r.weight(new int[]{cout, c, 3, 3}, r.nextBoolean()),
                        ConvGeometry.square(3, r.nextInt(1, 2), 1)).bias(r.floats(cout, -1, 1))
                .output(r.scale(0.01, 0.5), r.nextInt(0, 255)).relu(r.nextBoolean()).threads(2).engine(e).build();
        cases.add(new Case("Conv2d 3x3 " + cout, () -> im2col.forward(x, e)));
        QConv2d pointwise = QConv2d.builder(r.weight(new int[]{cout, c, 1, 1}, r.nextBoolean()), ConvGeometry.square(1, 1, 0))
                .output(r.scale(0.01, 0.5), r.nextInt(0, 255)).threads(2).engine(e).build();
        cases.add(new Case("Conv2d 1x1 " + cout, () -> pointwise.forward(x, e)));
        QConv2d depthwise = QConv2d.builder(r.weight(new int[]{c, 1, 3, 3}, r.nextBoolean()), ConvGeometry.square(3, 1, 1))
                .groups(c).output(r.scale(0.01, 0.5), r.nextInt(0, 255)).threads(2).engine(e).build();
        cases.add(new Case("Conv2d depthwise", () -> depthwise.forward(x, e)));

        QLinear linear = QLinear.builder(r.weight(new int[]{cout, c}, r.nextBoolean())).bias(r.floats(cout, -1, 1))
                .output(r.scale(0.01, 0.5), r.nextInt(0, 255)).relu(r.nextBoolean()).threads(2).engine(e).build();
        cases.add(new Case("Linear " + cout, () -> linear.forward(x, e)));

        QAdd add = QAdd.builder().output(r.scale(0.005, 0.2), r.nextInt(0, 255)).relu(r.nextBoolean()).threads(2).build();
        cases.add(new Case("add", () -> add.forward(x, x2, e)));
        QMul mul = QMul.builder().output(r.scale(0.005, 0.2), r.nextInt(0, 255)).threads(2).build();
        cases.add(new Case("mul", () -> mul.forward(x, x2, e)));
        int dim = r.nextInt(0, 3);
        QCat cat = QCat.builder(dim).output(r.scale(0.005, 0.2), r.nextInt(0, 255)).build();
        cases.add(new Case("cat dim " + dim, () -> cat.forward(List.of(x, x2))));
        QCat copyCat = QCat.builder(3).output(x.qparams().scale(0), x.qparams().zeroPoint(0)).build();
        cases.add(new Case("cat channels, copied", () -> copyCat.forward(List.of(x, x))));

        QRelu relu = new QRelu(2);
        cases.add(new Case("relu", () -> relu.forward(x, e)));
        QRelu6 relu6 = new QRelu6(2);
        cases.add(new Case("relu6", () -> relu6.forward(x, e)));
        QSigmoid sigmoid = new QSigmoid(2);
        cases.add(new Case("sigmoid", () -> sigmoid.forward(x, e)));
        QHardswish hardswish = QHardswish.builder().output(r.scale(0.01, 0.1), r.nextInt(0, 255)).threads(2).build();
        cases.add(new Case("hardswish", () -> hardswish.forward(x, e)));
        QBatchNorm2d bn = QBatchNorm2d.builder(c).runningMean(r.floats(c, -1, 1)).runningVar(r.floats(c, 0.1f, 2))
                .weight(r.floats(c, -2, 2)).bias(r.floats(c, -1, 1)).output(r.scale(0.01, 0.2), r.nextInt(0, 255))
                .relu(r.nextBoolean()).threads(2).build();
        cases.add(new Case("batchnorm " + n * h * w + " pixels", () -> bn.forward(x, e)));

        int k = r.nextInt(1, Math.min(h, w));
        QMaxPool2d max = QMaxPool2d.builder(k).stride(r.nextInt(1, 2)).ceilMode(r.nextBoolean()).threads(2).build();
        cases.add(new Case("maxpool " + k, () -> max.forward(x, e)));
        QAvgPool2d avg = QAvgPool2d.builder(k).stride(r.nextInt(1, 2)).padding(k / 2).countIncludePad(r.nextBoolean())
                .threads(2).build();
        cases.add(new Case("avgpool " + k, () -> avg.forward(x, e)));
        QAdaptiveAvgPool2d adaptive = QAdaptiveAvgPool2d.builder(r.nextInt(1, 4)).threads(2).build();
        cases.add(new Case("adaptive avgpool", () -> adaptive.forward(x, e)));

        FloatTensor f = FloatTensor.of(r.floats(n * h * w * c, -3, 3), nhwc);
        Quantize quantize = Quantize.builder().output(r.scale(0.005, 0.1), r.nextInt(0, 255)).threads(2).build();
        cases.add(new Case("quantize", () -> quantize.forward(f, e)));
        DeQuantize dequantize = new DeQuantize(2);
        cases.add(new Case("dequantize", () -> dequantize.forward(x, e)));
        QTensor perChannel = QTensor.of(r.qint8(n * h * w * c), nhwc, perChannelLast(r, c));
        cases.add(new Case("dequantize per channel", () -> dequantize.forward(perChannel, e)));
        Flatten flatten = new Flatten();
        cases.add(new Case("flatten quantized", () -> flatten.forward(x), h * w > 1));
        cases.add(new Case("flatten float", () -> flatten.forward(f), h * w > 1));
        return cases;
    }

    private static QParams perChannelLast(Rand r, int c) {
        double[] s = new double[c];
        int[] z = new int[c];
        for (int i = 0; i < c; i++) {
            s[i] = r.scale(0.001, 0.05);
            z[i] = r.nextInt(-4, 4);
        }
        return QParams.perChannel(s, z, 3, DType.QINT8);
    }
}
