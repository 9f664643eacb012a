package dev.vquant.ops.core;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.ops.elementwise.FloatActivation;
import dev.vquant.ops.elementwise.FloatAdd;
import dev.vquant.ops.elementwise.FloatCat;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.ops.nn.FloatBatchMatmul;
import dev.vquant.ops.nn.FloatEmbedding;
import dev.vquant.ops.nn.FloatLayerNorm;
import dev.vquant.ops.nn.FloatSoftmax;
import dev.vquant.ops.pool.FloatAdaptiveAvgPool2d;
import dev.vquant.ops.pool.FloatPool2d;
import dev.vquant.ops.rnn.Lstm;
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
 * Every float and dynamically quantized operator that takes its outputs (and per-call work arrays)
 * from {@link OutputArena} writes every element it reads back: run inside a poisoning arena (a
 * different poison each scope), twice, its results equal those without a scope bit for bit, and
 * the second scope allocates no array.
 */
class OutputArenaFloatOperatorsTest {

    /** An operator call returning its float results (an LSTM gives output, h and c). */
    private record Case(String name, Supplier<List<FloatTensor>> run) {
    }

    @Property(tries = 20)
    void floatAndDynamicOperatorsWriteEveryElementAndReuseTheirArrays(@ForAll long seed) {
        for (KernelBackend e : Engines.installed()) {
            for (Case c : cases(new Rand(seed), e)) {
                String what = "seed " + seed + ", " + e.name() + ", " + c.name();
                List<FloatTensor> want = c.run().get();
                OutputArena arena = OutputArena.poisoning();
                long allocated = -1;
                for (int pass = 0; pass < 2; pass++) {
                    try (OutputArena.Scope s = arena.enter()) {
                        List<FloatTensor> got = c.run().get();
                        assertEquals(want.size(), got.size(), what);
                        for (int i = 0; i < want.size(); i++) {
                            assertSameBits(want.get(i), got.get(i), what + ", result " + i + ", pass " + pass);
                        }
                    }
                    if (pass == 0) {
                        allocated = arena.allocations();
                        assertTrue(allocated > 0, what + ": output not taken from the arena");
                    }
                }
                assertEquals(allocated, arena.allocations(), what + ": the second scope allocated");
            }
        }
    }

    private static void assertSameBits(FloatTensor want, FloatTensor got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + " shape");
        float[] a = want.data();
        float[] b = got.data();
        assertEquals(a.length, b.length, what + " length");
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), what + " element " + i);
        }
    }

    private static Supplier<List<FloatTensor>> one(Supplier<FloatTensor> op) {
        return () -> List.of(op.get());
    }

    /** One instance of every converted operator on random shapes (every conv path, both LSTM forms). */
    private static List<Case> cases(Rand r, KernelBackend e) {
        int n = r.nextInt(1, 2);
        int h = r.nextInt(1, 12);
        int w = r.nextInt(1, 12);
        int c = r.nextInt(1, 40);
        int[] nhwc = {n, h, w, c};
        FloatTensor x = FloatTensor.of(r.floats(n * h * w * c, -3, 3), nhwc);
        FloatTensor x2 = FloatTensor.of(r.floats(n * h * w * c, -3, 3), nhwc);
        List<Case> cases = new ArrayList<>();

        int cout = r.nextInt(1, 24);
        FloatConv2d im2col = FloatConv2d.builder(FloatTensor.of(r.floats(cout * c * 9, -1, 1), cout, c, 3, 3),
                        ConvGeometry.square(3, r.nextInt(1, 2), 1)).bias(r.floats(cout, -1, 1)).relu(r.nextBoolean())
                .threads(2).engine(e).build();
        cases.add(new Case("Conv2d 3x3 " + cout, one(() -> im2col.forward(x, e))));
        FloatConv2d pointwise = FloatConv2d.builder(FloatTensor.of(r.floats(cout * c, -1, 1), cout, c, 1, 1))
                .bias(r.floats(cout, -1, 1)).threads(2).engine(e).build();
        cases.add(new Case("Conv2d 1x1 " + cout, one(() -> pointwise.forward(x, e))));
        FloatConv2d depthwise = FloatConv2d.builder(FloatTensor.of(r.floats(c * 9, -1, 1), c, 1, 3, 3), ConvGeometry.square(3, 1, 1))
                .groups(c).threads(2).engine(e).build();
        cases.add(new Case("Conv2d depthwise", one(() -> depthwise.forward(x, e))));

        FloatLinear linear = FloatLinear.builder(FloatTensor.of(r.floats(cout * c, -1, 1), cout, c)).bias(r.floats(cout, -1, 1))
                .threads(2).engine(e).build();
        cases.add(new Case("Linear " + cout, one(() -> linear.forward(x, e))));
        DynamicQLinear dynamic = DynamicQLinear.builder(r.weight(new int[]{cout, c}, r.nextBoolean())).bias(r.floats(cout, -1, 1))
                .reduceRange(r.nextBoolean()).threads(2).engine(e).build();
        cases.add(new Case("dynamic Linear " + cout, one(() -> dynamic.forward(x, e))));

        for (FloatActivation.Kind kind : FloatActivation.Kind.values()) {
            FloatActivation act = new FloatActivation(kind, 2);
            cases.add(new Case("activation " + kind, one(() -> act.forward(x, e))));
        }
        FloatAdd add = FloatAdd.add().relu(r.nextBoolean()).threads(2).build();
        cases.add(new Case("add", one(() -> add.forward(x, x2))));
        FloatAdd mul = FloatAdd.multiply().threads(2).build();
        cases.add(new Case("mul", one(() -> mul.forward(x, x2))));
        int dim = r.nextInt(0, 3);
        FloatCat cat = new FloatCat(dim);
        cases.add(new Case("cat dim " + dim, one(() -> cat.forward(List.of(x, x2)))));

        FloatLayerNorm norm = FloatLayerNorm.builder(c).weight(r.floats(c, -2, 2)).bias(r.floats(c, -1, 1)).threads(2).build();
        cases.add(new Case("layer norm", one(() -> norm.forward(x, e))));
        FloatSoftmax softmax = new FloatSoftmax(2);
        cases.add(new Case("softmax", one(() -> softmax.forward(x, e))));
        int m = r.nextInt(1, 9);
        int k = r.nextInt(1, 20);
        int nn = r.nextInt(1, 20);
        FloatTensor a = FloatTensor.of(r.floats(n * 2 * m * k, -2, 2), n, 2, m, k);
        FloatTensor b = FloatTensor.of(r.floats(n * 2 * k * nn, -2, 2), n, 2, k, nn);
        FloatTensor bt = FloatTensor.of(r.floats(n * 2 * nn * k, -2, 2), n, 2, nn, k);
        FloatBatchMatmul bmm = new FloatBatchMatmul(r.nextInt(1, 3));
        cases.add(new Case("matmul", one(() -> bmm.matmul(a, b, e))));
        cases.add(new Case("matmul transposed B", one(() -> bmm.matmulTransposedB(a, bt, e))));
        int vocab = r.nextInt(1, 30);
        FloatEmbedding embedding = new FloatEmbedding(FloatTensor.of(r.floats(vocab * c, -1, 1), vocab, c));
        int[] ids = new int[r.nextInt(1, 12)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(0, vocab - 1);
        }
        cases.add(new Case("embedding", one(() -> embedding.forward(ids, ids.length))));

        int kw = r.nextInt(1, Math.min(h, w));
        FloatPool2d max = FloatPool2d.max(kw).stride(r.nextInt(1, 2)).ceilMode(r.nextBoolean()).threads(2).build();
        cases.add(new Case("maxpool " + kw, one(() -> max.forward(x, e))));
        FloatPool2d avg = FloatPool2d.average(kw).stride(r.nextInt(1, 2)).padding(kw / 2).countIncludePad(r.nextBoolean())
                .threads(2).build();
        cases.add(new Case("avgpool " + kw, one(() -> avg.forward(x, e))));
        FloatAdaptiveAvgPool2d adaptive = FloatAdaptiveAvgPool2d.builder(r.nextInt(1, 4)).threads(2).build();
        cases.add(new Case("adaptive avgpool", one(() -> adaptive.forward(x, e))));

        int hidden = r.nextInt(1, 40);
        int in = r.nextInt(1, 30);
        int steps = r.nextInt(1, 5);
        int batch = r.nextInt(1, 3);
        int layers = r.nextInt(1, 2);
        boolean batchFirst = r.nextBoolean();
        List<QTensor> wIh = new ArrayList<>();
        List<QTensor> wHh = new ArrayList<>();
        List<FloatTensor> fIh = new ArrayList<>();
        List<FloatTensor> fHh = new ArrayList<>();
        List<float[]> bIh = new ArrayList<>();
        List<float[]> bHh = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int li = l == 0 ? in : hidden;
            wIh.add(r.weight(new int[]{4 * hidden, li}, r.nextBoolean()));
            wHh.add(r.weight(new int[]{4 * hidden, hidden}, r.nextBoolean()));
            fIh.add(FloatTensor.of(r.floats(4 * hidden * li, -0.5f, 0.5f), 4 * hidden, li));
            fHh.add(FloatTensor.of(r.floats(4 * hidden * hidden, -0.5f, 0.5f), 4 * hidden, hidden));
            bIh.add(r.floats(4 * hidden, -1, 1));
            bHh.add(r.floats(4 * hidden, -1, 1));
        }
        Lstm qLstm = Lstm.dynamicQuantized(wIh, wHh).bias(bIh, bHh).batchFirst(batchFirst).threads(2).engine(e).build();
        Lstm fLstm = Lstm.floating(fIh, fHh).bias(bIh, bHh).batchFirst(batchFirst).threads(2).engine(e).build();
        FloatTensor seq = FloatTensor.of(r.floats(steps * batch * in, -2, 2), batchFirst ? batch : steps, batchFirst ? steps : batch, in);
        FloatTensor h0 = FloatTensor.of(r.floats(layers * batch * hidden, -1, 1), layers, batch, hidden);
        FloatTensor c0 = FloatTensor.of(r.floats(layers * batch * hidden, -1, 1), layers, batch, hidden);
        boolean withState = r.nextBoolean();
        for (Lstm lstm : List.of(qLstm, fLstm)) {
            cases.add(new Case((lstm == qLstm ? "dynamic" : "float") + " LSTM, batch first " + batchFirst + ", states " + withState,
                    () -> {
                        Lstm.Result res = withState ? lstm.forward(seq, h0, c0, e) : lstm.forward(seq, null, null, e);
                        return List.of(res.output(), res.h(), res.c());
                    }));
        }
        return cases;
    }
}
