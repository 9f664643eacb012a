package dev.vquant.ops.fuzz;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.testing.FuzzCase;
import dev.vquant.engine.testing.FuzzValues;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.convert.DeQuantize;
import dev.vquant.ops.convert.Quantize;
import dev.vquant.ops.elementwise.FloatActivation;
import dev.vquant.ops.elementwise.QCat;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.pool.QAdaptiveAvgPool2d;
import dev.vquant.ops.rnn.Lstm;
import dev.vquant.ops.testing.Engines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Inputs at the edge of validity (empty batches, padding wider than the kernel, NaN and infinities
 * in float operators, infinities to quantize, operands with different qparams): they must not be
 * refused, and each engine's result must equal the reference kernels' with that engine's rules
 * ({@link ReferenceBackend#withNumerics}), bit for bit for quantized results; float results with NaN or infinities
 * must have them in the same places as the reference engine's.
 */
final class ValidCases {
    private ValidCases() {
    }

    static FuzzCase any(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> emptyLinear(r);
            case 1 -> conv(r);
            case 2 -> emptyDynamic(r);
            case 3 -> floatSpecials(r);
            case 4 -> quantizeSpecials(r);
            case 5 -> dequantizePerChannel(r);
            case 6 -> catMixedQParams(r);
            case 7 -> adaptiveUpsampling(r);
            default -> lstmEdges(r);
        };
    }

    /** Runs {@code f} on every installed engine and on the reference kernels with its rules; quantized results must agree bit for bit. */
    private static List<String> sameOnEveryEngine(Function<KernelBackend, QTensor> f) {
        List<String> seen = new ArrayList<>();
        for (KernelBackend e : Engines.installed()) {
            QTensor got = f.apply(e);
            QTensor want = f.apply(ReferenceBackend.withNumerics(e.numerics()));
            assertArrayEquals(want.shape(), got.shape(), e.name() + " shape");
            assertEquals(want.qparams(), got.qparams(), e.name() + " qparams");
            assertArrayEquals(want.bytes(), got.bytes(), e.name() + " values");
            seen.add(e.name());
        }
        return seen;
    }

    private static FuzzCase emptyLinear(Random r) {
        int n = 1 + r.nextInt(5);
        int k = 1 + r.nextInt(9);
        QTensor w = Inputs.qint8(r, r.nextBoolean(), n, k);
        int[] s = r.nextBoolean() ? new int[]{0, k} : new int[]{2, 0, k};
        QTensor x = Inputs.quint8(r, s);
        QLinear op = QLinear.builder(w).output(0.05, 3).engine(Engines.reference()).build();
        return FuzzCase.accepts("Linear([" + n + ", " + k + "]).forward(" + Arrays.toString(s) + ")",
                () -> sameOnEveryEngine(e -> op.forward(x, e)),
                seen -> assertEquals(n, op.forward(x, Engines.reference()).dim(s.length - 1)));
    }

    private static FuzzCase conv(Random r) {
        int groups = 1 + r.nextInt(3);
        boolean depthwise = r.nextBoolean();
        int cin = depthwise ? groups : groups * (1 + r.nextInt(2));
        int cout = depthwise ? groups : groups * (1 + r.nextInt(2));
        int k = 1 + r.nextInt(3);
        // padding wider than the kernel: whole output rows see only padding
        int pad = k + r.nextInt(3);
        ConvGeometry g = new ConvGeometry(k, k, 1 + r.nextInt(2), 1 + r.nextInt(2), pad, pad, 1, 1);
        QTensor w = Inputs.qint8(r, r.nextBoolean(), cout, cin / groups, k, k);
        int batch = r.nextInt(2);
        int[] s = {batch, 1 + r.nextInt(3), 1 + r.nextInt(3), cin};
        QTensor x = Inputs.quint8(r, s);
        QConv2d op = QConv2d.builder(w, g).groups(groups).bias(FuzzValues.floats(r, cout)).output(0.05, 100)
                .engine(Engines.reference()).build();
        return FuzzCase.accepts("Conv2d(weight " + Arrays.toString(w.shape()) + ", groups " + groups + ", " + g + ").forward("
                + Arrays.toString(s) + ")", () -> sameOnEveryEngine(e -> op.forward(x, e)), seen -> {
        });
    }

    private static FuzzCase emptyDynamic(Random r) {
        int n = 1 + r.nextInt(5);
        int k = 1 + r.nextInt(9);
        DynamicQLinear op = DynamicQLinear.builder(Inputs.qint8(r, false, n, k)).engine(Engines.reference()).build();
        FloatTensor x = FloatTensor.of(new float[0], 0, k);
        return FuzzCase.accepts("DynamicLinear([" + n + ", " + k + "]).forward([0, " + k + "])", () -> {
            List<FloatTensor> out = new ArrayList<>();
            for (KernelBackend e : Engines.installed()) {
                out.add(op.forward(x, e));
            }
            return out;
        }, out -> out.forEach(t -> assertArrayEquals(new int[]{0, n}, t.shape())));
    }

    /** NaN and infinities through float operators: propagated as the reference engine propagates them. */
    private static FuzzCase floatSpecials(Random r) {
        int n = 1 + r.nextInt(4);
        int k = 1 + r.nextInt(6);
        int m = 1 + r.nextInt(3);
        float[] x = FuzzValues.floats(r, m * k);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < x.length; i++) {
            if (r.nextInt(3) == 0) {
                x[i] = specials[r.nextInt(3)];
            }
        }
        boolean linear = r.nextBoolean();
        FloatActivation.Kind kind = FloatActivation.Kind.values()[r.nextInt(4)];
        FloatLinear lin = FloatLinear.builder(Inputs.floats(r, n, k)).bias(FuzzValues.floats(r, n)).relu(r.nextBoolean()).threads(1).engine(Engines.reference()).build();
        FloatActivation act = new FloatActivation(kind, 1);
        String d = (linear ? "FloatLinear([" + n + ", " + k + "])" : "Float" + kind) + ".forward(" + Arrays.toString(x) + ")";
        FloatTensor in = FloatTensor.of(x, m, k);
        return FuzzCase.accepts(d, () -> {
            List<float[]> out = new ArrayList<>();
            out.add((linear ? lin.forward(in, Engines.reference()) : act.forward(in, Engines.reference())).data());
            for (KernelBackend e : Engines.installed()) {
                out.add((linear ? lin.forward(in, e) : act.forward(in, e)).data());
            }
            return out;
        }, out -> {
            float[] want = out.get(0);
            for (float[] got : out) {
                for (int i = 0; i < want.length; i++) {
                    boolean special = !Float.isFinite(want[i]) || !Float.isFinite(got[i]);
                    if (special) {
                        assertEquals(want[i], got[i], "element " + i + " (NaN/infinity must match the reference engine)");
                    } else {
                        assertEquals(want[i], got[i], 1e-3 * (1 + Math.abs(want[i])), "element " + i);
                    }
                }
            }
        });
    }

    private static FuzzCase quantizeSpecials(Random r) {
        DType dt = FuzzValues.byteType(r);
        double s = FuzzValues.goodScale(r);
        int zp = FuzzValues.goodZeroPoint(r, dt);
        int len = 1 + r.nextInt(70);
        float[] x = FuzzValues.floats(r, len);
        float[] specials = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, -0f, 1e30f};
        for (int i = 0; i < len; i++) {
            if (r.nextInt(3) == 0) {
                x[i] = specials[r.nextInt(specials.length)];
            }
        }
        Quantize q = Quantize.builder().output(s, zp).dtype(dt).threads(1).build();
        FloatTensor in = FloatTensor.of(x, len);
        return FuzzCase.accepts("Quantize(" + s + ", " + zp + ", " + dt + ").forward(" + Arrays.toString(x) + ")",
                () -> sameOnEveryEngine(e -> q.forward(in, e)), seen -> {
                });
    }

    private static FuzzCase dequantizePerChannel(Random r) {
        int[] shape = FuzzValues.shape(r, 1 + r.nextInt(4), 1, 4);
        int axis = r.nextInt(shape.length);
        double[] sc = new double[shape[axis]];
        int[] zp = new int[shape[axis]];
        DType dt = FuzzValues.byteType(r);
        for (int c = 0; c < sc.length; c++) {
            sc[c] = FuzzValues.goodScale(r);
            zp[c] = FuzzValues.goodZeroPoint(r, dt);
        }
        QTensor x = QTensor.of(FuzzValues.bytes(r, FuzzValues.numel(shape)), shape, QParams.perChannel(sc, zp, axis, dt));
        DeQuantize d = new DeQuantize(1);
        return FuzzCase.accepts("DeQuantize.forward(" + x + ")", () -> {
            List<float[]> out = new ArrayList<>();
            for (KernelBackend e : Engines.installed()) {
                out.add(d.forward(x, e).data());
            }
            return out;
        }, out -> {
            float[] want = d.forward(x, Engines.reference()).data();
            out.forEach(got -> assertArrayEquals(want, got));
        });
    }

    private static FuzzCase catMixedQParams(Random r) {
        int rank = 1 + r.nextInt(3);
        int dim = r.nextInt(rank);
        int[] s = FuzzValues.shape(r, rank, 1, 3);
        List<QTensor> in = new ArrayList<>();
        int count = 1 + r.nextInt(3);
        for (int i = 0; i < count; i++) {
            int[] si = s.clone();
            si[dim] = r.nextInt(3);
            in.add(r.nextBoolean() ? Inputs.quint8(r, 0.1, 7, si) : Inputs.quint8(r, si));
        }
        QCat cat = QCat.builder(dim).output(0.1, 7).build();
        return FuzzCase.accepts("Cat(dim " + dim + ", 0.1, 7).forward(" + in + ")", () -> cat.forward(in), out -> {
            int total = 0;
            for (QTensor t : in) {
                total += t.dim(dim);
            }
            assertEquals(total, out.dim(dim));
            assertEquals(QParams.perTensor(0.1, 7, DType.QUINT8), out.qparams());
        });
    }

    private static FuzzCase adaptiveUpsampling(Random r) {
        int[] s = {r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(3)};
        int oh = s[1] + r.nextInt(4);
        int ow = s[2] + r.nextInt(4);
        QAdaptiveAvgPool2d p = QAdaptiveAvgPool2d.builder(oh, ow).threads(1).build();
        QTensor x = Inputs.quint8(r, s);
        return FuzzCase.accepts("AdaptiveAvgPool2d(" + oh + ", " + ow + ").forward(" + Arrays.toString(s) + ")",
                () -> sameOnEveryEngine(e -> p.forward(x, e)), seen -> {
                });
    }

    private static FuzzCase lstmEdges(Random r) {
        int in = 1 + r.nextInt(3);
        int hidden = 1 + r.nextInt(3);
        QTensor wIh = Inputs.qint8(r, r.nextBoolean(), 4 * hidden, in);
        QTensor wHh = Inputs.qint8(r, r.nextBoolean(), 4 * hidden, hidden);
        List<float[]> none = new ArrayList<>();
        none.add(null);
        Lstm op = Lstm.dynamicQuantized(List.of(wIh), List.of(wHh)).bias(none, none).threads(1).engine(Engines.reference()).build();
        // an empty sequence or an empty batch
        int steps = r.nextBoolean() ? 0 : 1 + r.nextInt(2);
        int batch = steps == 0 ? 1 + r.nextInt(2) : 0;
        FloatTensor x = FloatTensor.of(new float[steps * batch * in], steps, batch, in);
        return FuzzCase.accepts("dynamic LSTM(in " + in + ", hidden " + hidden + ").forward([" + steps + ", " + batch + ", " + in + "])",
                () -> {
                    List<Lstm.Result> out = new ArrayList<>();
                    for (KernelBackend e : Engines.installed()) {
                        out.add(op.forward(x, null, null, e));
                        out.add(op.forward(x, null, null, ReferenceBackend.withNumerics(e.numerics())));
                    }
                    return out;
                }, out -> {
                    for (int i = 0; i < out.size(); i += 2) {
                        assertArrayEquals(new int[]{steps, batch, hidden}, out.get(i).output().shape());
                        assertArrayEquals(out.get(i + 1).h().data(), out.get(i).h().data());
                        assertArrayEquals(out.get(i + 1).c().data(), out.get(i).c().data());
                    }
                });
    }
}
