package dev.vquant.ops.fuzz;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.testing.FuzzCase;
import dev.vquant.engine.testing.FuzzValues;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.testing.Engines;

import java.util.Arrays;
import java.util.Random;

/** Bad inputs for Linear (static, dynamic, float) and Conv2d (plain, grouped, depthwise; quantized and float). */
final class LinearConvCases {
    private LinearConvCases() {
    }

    static FuzzCase any(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> staticLinear(r);
            case 1 -> dynamicLinear(r);
            case 2 -> floatLinear(r);
            case 3, 4 -> quantizedConv(r);
            default -> floatConv(r);
        };
    }

    private static FuzzCase staticLinear(Random r) {
        int n = 1 + r.nextInt(6);
        int k = 1 + r.nextInt(9);
        boolean pc = r.nextBoolean();
        QTensor w = Inputs.qint8(r, pc, n, k);
        boolean relu = r.nextBoolean();
        String name = relu ? "LinearReLU" : "Linear";
        String built = "Linear(weight [" + n + ", " + k + "]" + (pc ? " per-channel" : "") + (relu ? ", relu" : "") + ")";
        switch (r.nextInt(12)) {
            case 0 -> {
                return FuzzCase.rejects("Linear.builder(null)", () -> QLinear.builder(null).output(0.1, 0).build(), "Linear", "null");
            }
            case 1 -> {
                QTensor u8 = QTensor.of(w.bytes(), w.shape(), QParams.perTensor(0.02, 3, DType.QUINT8));
                return FuzzCase.rejects(built + " with a quint8 weight", () -> QLinear.builder(u8).output(0.1, 0).build(), "Linear",
                        "quint8");
            }
            case 2 -> {
                int[] s = r.nextBoolean() ? new int[]{n, k, 1 + r.nextInt(3)} : new int[]{n * k};
                QTensor bad = QTensor.of(new byte[FuzzValues.numel(s)], s, QParams.perTensor(0.02, 0, DType.QINT8));
                return FuzzCase.rejects("Linear with weight " + Arrays.toString(s), () -> QLinear.builder(bad).output(0.1, 0).build(),
                        "Linear", Arrays.toString(s));
            }
            case 3 -> {
                int[] s = r.nextBoolean() ? new int[]{0, k} : new int[]{n, 0};
                QTensor empty = QTensor.of(new byte[0], s, QParams.perTensor(0.02, 0, DType.QINT8));
                return FuzzCase.rejects("Linear with empty weight " + Arrays.toString(s),
                        () -> QLinear.builder(empty).output(0.1, 0).build(), "Linear", Arrays.toString(s));
            }
            case 4 -> {
                double[] sc = new double[k];
                Arrays.fill(sc, 0.01);
                QTensor axis1 = QTensor.of(w.bytes(), w.shape(), QParams.perChannel(sc, new int[k], 1, DType.QINT8));
                return FuzzCase.rejects(built + " with per-channel weight qparams along axis 1",
                        () -> QLinear.builder(axis1).output(0.1, 0).build(), "Linear", "axis 1");
            }
            case 5 -> {
                float[] bias = new float[n + 1 + r.nextInt(3)];
                return FuzzCase.rejects(built + " with a bias of " + bias.length, () -> QLinear.builder(w).bias(bias).output(0.1, 0)
                        .build(), "Linear", "got " + bias.length);
            }
            case 6 -> {
                float[] bias = new float[n];
                int i = r.nextInt(n);
                bias[i] = pickNonFinite(r);
                return FuzzCase.rejects(built + " with bias[" + i + "] = " + bias[i],
                        () -> QLinear.builder(w).bias(bias).output(0.1, 0).build(), "Linear", "bias[" + i + "]",
                        String.valueOf(bias[i]));
            }
            case 7 -> {
                Inputs.BadOutput o = Inputs.BadOutput.draw(r);
                return FuzzCase.rejects(built + " with " + o, () -> QLinear.builder(w).output(o.scale(), o.zeroPoint()).build(),
                        "Linear", o.mention());
            }
            case 8 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(built + ".threads(" + t + ")", () -> QLinear.builder(w).threads(t), "Linear",
                        String.valueOf(t));
            }
            case 9 -> {
                return FuzzCase.rejects(built + " without output qparams", () -> QLinear.builder(w).build(), "Linear",
                        "never set", "output(scale, zeroPoint)");
            }
            default -> {
                QLinear op = QLinear.builder(w).relu(relu).output(0.05, r.nextInt(256)).engine(Engines.reference()).build();
                return switch (r.nextInt(4)) {
                    case 0 -> {
                        int[] s = Inputs.otherRank(r, 2);
                        s = s.length == 0 ? s : withLast(s, k + 1 + r.nextInt(3));
                        int[] shape = s;
                        QTensor x = Inputs.quint8(r, shape);
                        yield FuzzCase.rejects(built + ".forward(" + Arrays.toString(shape) + ")", () -> op.forward(x, Inputs.engine(r)),
                                name, Arrays.toString(shape));
                    }
                    case 1 -> {
                        // huge input and weight scales against a tiny output scale: the multiplier overflows float32
                        QTensor x = Inputs.quint8(r, 1e30, 0, 2, k);
                        QTensor big = QTensor.of(w.bytes(), w.shape(), QParams.perTensor(1e20, 0, DType.QINT8));
                        QLinear o2 = QLinear.builder(big).output(1e-30, 0).engine(Engines.reference()).build();
                        yield FuzzCase.rejects("Linear(weight scale 1e20, output scale 1e-30).forward(input scale 1e30)",
                                () -> o2.forward(x, Inputs.engine(r)), "Linear", "input scale 1.0E30");
                    }
                    case 2 -> overflowingLinear(r);
                    default -> Inputs.badQuantizedInput(r, built, op, Inputs.quint8(r, 1 + r.nextInt(3), k));
                };
            }
        }
    }

    /** A Linear whose output {@code [M, N]} passes 2^31-1 elements while input and weight are small. */
    private static FuzzCase overflowingLinear(Random r) {
        int n = 1 << (14 + r.nextInt(3));
        int m = (int) (Integer.MAX_VALUE / n) + 1 + r.nextInt(100);
        QTensor w = QTensor.of(new byte[n], new int[]{n, 1}, QParams.perTensor(0.01, 0, DType.QINT8));
        QTensor x = QTensor.of(new byte[m], new int[]{m, 1}, QParams.perTensor(0.01, 0, DType.QUINT8));
        String d = "Linear(weight [" + n + ", 1]).forward([" + m + ", 1])";
        return switch (r.nextInt(3)) {
            case 0 -> FuzzCase.rejects(d, () -> QLinear.builder(w).output(0.1, 0).engine(Engines.reference()).build()
                    .forward(x, Inputs.engine(r)), "Linear", "2^31-1");
            case 1 -> FuzzCase.rejects("Dynamic" + d, () -> DynamicQLinear.builder(w).engine(Engines.reference()).build()
                    .forward(FloatTensor.of(new float[m], m, 1), Inputs.engine(r)), "DynamicLinear", "2^31-1");
            default -> FuzzCase.rejects("Float" + d, () -> FloatLinear.builder(FloatTensor.of(new float[n], n, 1)).threads(1).engine(Engines.reference()).build().forward(FloatTensor.of(new float[m], m, 1), Inputs.engine(r)), "FloatLinear", "2^31-1");
        };
    }

    private static FuzzCase dynamicLinear(Random r) {
        int n = 1 + r.nextInt(6);
        int k = 1 + r.nextInt(9);
        QTensor w = Inputs.qint8(r, r.nextBoolean(), n, k);
        String built = "DynamicLinear(weight [" + n + ", " + k + "])";
        switch (r.nextInt(8)) {
            case 0 -> {
                return FuzzCase.rejects("DynamicLinear.builder(null)", () -> DynamicQLinear.builder(null).build(), "DynamicLinear",
                        "null");
            }
            case 1 -> {
                float[] bias = new float[n];
                int i = r.nextInt(n);
                bias[i] = pickNonFinite(r);
                return FuzzCase.rejects(built + " with bias[" + i + "] = " + bias[i], () -> DynamicQLinear.builder(w).bias(bias).build(),
                        "DynamicLinear", "bias[" + i + "]", String.valueOf(bias[i]));
            }
            case 2 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(built + ".threads(" + t + ")", () -> DynamicQLinear.builder(w).threads(t), "DynamicLinear",
                        String.valueOf(t));
            }
            case 3 -> {
                int[] s = FuzzValues.shape(r, 3, 1, 3);
                QTensor w3 = QTensor.of(new byte[FuzzValues.numel(s)], s, QParams.perTensor(0.01, 0, DType.QINT8));
                return FuzzCase.rejects("DynamicLinear with weight " + Arrays.toString(s), () -> DynamicQLinear.builder(w3).build(),
                        "DynamicLinear", Arrays.toString(s));
            }
            default -> {
                DynamicQLinear op = DynamicQLinear.builder(w).engine(Engines.reference()).build();
                int m = 1 + r.nextInt(3);
                float[] x = FuzzValues.floats(r, m * k);
                return switch (r.nextInt(5)) {
                    case 0 -> {
                        int i = r.nextInt(x.length);
                        x[i] = r.nextBoolean() ? Float.NaN : r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                        yield FuzzCase.rejects(built + ".forward(x with " + x[i] + " at " + i + ")",
                                () -> op.forward(FloatTensor.of(x, m, k), Inputs.engine(r)), "DynamicLinear", "finite");
                    }
                    case 1 -> {
                        int[] s = withLast(FuzzValues.shape(r, 1 + r.nextInt(3), 1, 3), k + 1);
                        yield FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")",
                                () -> op.forward(Inputs.floats(r, s), Inputs.engine(r)), "DynamicLinear", Arrays.toString(s));
                    }
                    case 2 -> rawArrays(r, built, "DynamicLinear", (e, a, rows, out) -> op.forward(e, a, rows, out), m, k, n);
                    default -> Inputs.badFloatInput(r, built, op, FloatTensor.of(x, m, k));
                };
            }
        }
    }

    /** The array entry points (for LSTM) of the dynamic and float Linear. */
    interface RawLinear {
        void apply(KernelBackend e, float[] x, int m, float[] out);
    }

    private static FuzzCase rawArrays(Random r, String built, String name, RawLinear f, int m, int k, int n) {
        float[] x = new float[m * k];
        float[] out = new float[m * n];
        switch (r.nextInt(5)) {
            case 0 -> {
                return FuzzCase.rejects(built + " arrays with null engine", () -> run(() -> f.apply(null, x, m, out)), name, "engine");
            }
            case 1 -> {
                return FuzzCase.rejects(built + " arrays with null input", () -> run(() -> f.apply(Engines.reference(), null, m, out)),
                        name, "null");
            }
            case 2 -> {
                int bad = -1 - r.nextInt(1000);
                return FuzzCase.rejects(built + " arrays with m = " + bad, () -> run(() -> f.apply(Engines.reference(), x, bad, out)),
                        name, String.valueOf(bad));
            }
            case 3 -> {
                float[] shortOut = new float[out.length - 1];
                return FuzzCase.rejects(built + " arrays with an output of " + shortOut.length + " for " + m + "x" + n,
                        () -> run(() -> f.apply(Inputs.engine(r), x, m, shortOut)), name, "output", String.valueOf(shortOut.length));
            }
            default -> {
                int more = m + 1 + r.nextInt(3);
                return FuzzCase.rejects(built + " arrays with m = " + more + " rows over " + x.length + " inputs",
                        () -> run(() -> f.apply(Inputs.engine(r), x, more, new float[more * n])), name, "input",
                        String.valueOf(x.length));
            }
        }
    }

    private static Object run(Runnable body) {
        body.run();
        return "returned";
    }

    private static FuzzCase floatLinear(Random r) {
        int n = 1 + r.nextInt(6);
        int k = 1 + r.nextInt(9);
        FloatTensor w = Inputs.floats(r, n, k);
        String built = "FloatLinear([" + n + ", " + k + "])";
        switch (r.nextInt(7)) {
            case 0 -> {
                int[] s = r.nextBoolean() ? FuzzValues.shape(r, 1 + 2 * r.nextInt(2), 1, 3) : new int[]{n, 0};
                return FuzzCase.rejects("FloatLinear(weight " + Arrays.toString(s) + ")",
                        () -> FloatLinear.builder(Inputs.floats(r, s)).threads(1).engine(Engines.reference()).build(), "FloatLinear", Arrays.toString(s));
            }
            case 1 -> {
                return FuzzCase.rejects(built + " with a bias of " + (n + 1),
                        () -> FloatLinear.builder(w).bias(new float[n + 1]).threads(1).engine(Engines.reference()).build(), "FloatLinear", "got " + (n + 1));
            }
            case 2 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(built + " with threads " + t, () -> FloatLinear.builder(w).threads(t).engine(Engines.reference()).build(),
                        "FloatLinear", String.valueOf(t));
            }
            case 3 -> {
                return FuzzCase.rejects("FloatLinear(null weight)", () -> FloatLinear.builder(null).threads(1).engine(Engines.reference()).build(),
                        "FloatLinear", "null");
            }
            default -> {
                FloatLinear op = FloatLinear.builder(w).relu(r.nextBoolean()).threads(1).engine(Engines.reference()).build();
                int m = 1 + r.nextInt(3);
                return switch (r.nextInt(3)) {
                    case 0 -> {
                        int[] s = withLast(FuzzValues.shape(r, 1 + r.nextInt(3), 1, 3), k + 2);
                        yield FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")",
                                () -> op.forward(Inputs.floats(r, s), Inputs.engine(r)), "FloatLinear", Arrays.toString(s));
                    }
                    case 1 -> rawArrays(r, built, "FloatLinear", op::gemm, m, k, n);
                    default -> Inputs.badFloatInput(r, built, op, Inputs.floats(r, m, k));
                };
            }
        }
    }

    /** A convolution shape: plain, grouped or depthwise. */
    private record ConvShape(int cin, int cout, int groups, int kh, int kw, ConvGeometry g) {
        static ConvShape draw(Random r) {
            int kind = r.nextInt(3);
            int groups = kind == 0 ? 1 : 1 + r.nextInt(3);
            int cinPer = kind == 2 ? 1 : 1 + r.nextInt(3);
            int coutPer = kind == 2 ? 1 : 1 + r.nextInt(3);
            int kh = 1 + r.nextInt(3);
            int kw = 1 + r.nextInt(3);
            ConvGeometry g = new ConvGeometry(kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), r.nextInt(2), r.nextInt(2),
                    1 + r.nextInt(2), 1);
            return new ConvShape(cinPer * groups, coutPer * groups, groups, kh, kw, g);
        }

        int[] weight() {
            return new int[]{cout, cin / groups, kh, kw};
        }

        /** An input of {@code h x w} that the window fits. */
        int[] input(Random r) {
            int h = g.dilationH() * (kh - 1) + 1 + r.nextInt(3);
            int w = g.dilationW() * (kw - 1) + 1 + r.nextInt(3);
            return new int[]{1 + r.nextInt(2), h, w, cin};
        }

        @Override
        public String toString() {
            return "weight " + Arrays.toString(weight()) + ", groups " + groups + ", " + g;
        }
    }

    private static FuzzCase quantizedConv(Random r) {
        ConvShape c = ConvShape.draw(r);
        QTensor w = Inputs.qint8(r, r.nextBoolean(), c.weight());
        String built = "Conv2d(" + c + ")";
        switch (r.nextInt(10)) {
            case 0 -> {
                return FuzzCase.rejects(built + " with a null geometry", () -> QConv2d.builder(w, null).groups(c.groups).output(0.1, 0)
                        .build(), "Conv2d", "geometry", "null");
            }
            case 1 -> {
                int bad = r.nextBoolean() ? -r.nextInt(4) : c.cout + 1 + r.nextInt(3);
                return FuzzCase.rejects(built + ".groups(" + bad + ")", () -> QConv2d.builder(w, c.g).groups(bad).output(0.1, 0).build(),
                        "Conv2d", "groups " + bad);
            }
            case 2 -> {
                ConvGeometry other = ConvGeometry.square(c.kh + 1, 1, 0);
                return FuzzCase.rejects(built + " with geometry " + other, () -> QConv2d.builder(w, other).groups(c.groups)
                        .output(0.1, 0).build(), "Conv2d", c.kh + "x" + c.kw);
            }
            case 3 -> {
                int[] s = Inputs.otherRank(r, 4);
                QTensor bad = QTensor.of(new byte[FuzzValues.numel(s)], s, QParams.perTensor(0.01, 0, DType.QINT8));
                return FuzzCase.rejects("Conv2d with weight " + Arrays.toString(s), () -> QConv2d.builder(bad, c.g).output(0.1, 0)
                        .build(), "Conv2d", Arrays.toString(s));
            }
            case 4 -> {
                Inputs.BadOutput o = Inputs.BadOutput.draw(r);
                return FuzzCase.rejects(built + " with " + o, () -> QConv2d.builder(w, c.g).groups(c.groups)
                        .output(o.scale(), o.zeroPoint()).build(), "Conv2d", o.mention());
            }
            case 5 -> {
                float[] bias = new float[c.cout];
                int i = r.nextInt(c.cout);
                bias[i] = pickNonFinite(r);
                return FuzzCase.rejects(built + " with bias[" + i + "] = " + bias[i], () -> QConv2d.builder(w, c.g).groups(c.groups)
                        .bias(bias).output(0.1, 0).build(), "Conv2d", "bias[" + i + "]");
            }
            default -> {
                QConv2d op = QConv2d.builder(w, c.g).groups(c.groups).output(0.05, r.nextInt(256)).engine(Engines.reference()).build();
                int[] in = c.input(r);
                return switch (r.nextInt(5)) {
                    case 0 -> {
                        int[] s = in.clone();
                        s[3] = c.cin + 1 + r.nextInt(3);
                        yield FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")",
                                () -> op.forward(Inputs.quint8(r, s), Inputs.engine(r)), "Conv2d", Arrays.toString(s));
                    }
                    case 1 -> {
                        int[] s = Inputs.otherRank(r, 4);
                        yield FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")",
                                () -> op.forward(Inputs.quint8(r, s), Inputs.engine(r)), "Conv2d", Arrays.toString(s));
                    }
                    case 2 -> {
                        int[] s = in.clone();
                        s[1] = r.nextBoolean() ? 0 : s[1];
                        s[2] = s[1] == 0 ? s[2] : 0;
                        yield FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")",
                                () -> op.forward(Inputs.quint8(r, s), Inputs.engine(r)), "Conv2d", "must be > 0", "got 0");
                    }
                    case 3 -> {
                        // enormous padding: the output (or the padded input) passes 2^31-1
                        int pad = r.nextBoolean() ? (1 << 15) + r.nextInt(1 << 10) : (1 << 30) + r.nextInt(1 << 20);
                        ConvGeometry g = new ConvGeometry(c.kh, c.kw, 1, 1, pad, pad, 1, 1);
                        QConv2d padded = QConv2d.builder(w, g).groups(c.groups).output(0.05, 0).engine(Engines.reference()).build();
                        yield FuzzCase.rejects("Conv2d(" + c.weight()[0] + " out, padding " + pad + ").forward(" + Arrays.toString(in) + ")",
                                () -> padded.forward(Inputs.quint8(r, in), Inputs.engine(r)), "Conv2d", "2^31-1");
                    }
                    default -> Inputs.badQuantizedInput(r, built, op, Inputs.quint8(r, in));
                };
            }
        }
    }

    private static FuzzCase floatConv(Random r) {
        ConvShape c = ConvShape.draw(r);
        FloatTensor w = Inputs.floats(r, c.weight());
        String built = "FloatConv2d(" + c + ")";
        switch (r.nextInt(8)) {
            case 0 -> {
                return FuzzCase.rejects(built + " with null weight", () -> FloatConv2d.builder(null, c.g).groups(c.groups).threads(1).engine(Engines.reference()).build(), "FloatConv2d", "weight", "null");
            }
            case 1 -> {
                return FuzzCase.rejects(built + " with null geometry", () -> FloatConv2d.builder(w, null).groups(c.groups).threads(1).engine(Engines.reference()).build(), "FloatConv2d", "geometry", "null");
            }
            case 2 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(built + " with threads " + t, () -> FloatConv2d.builder(w, c.g).groups(c.groups).threads(t).engine(Engines.reference()).build(), "FloatConv2d", String.valueOf(t));
            }
            case 3 -> {
                return FuzzCase.rejects(built + " with a bias of " + (c.cout + 1), () -> FloatConv2d.builder(w, c.g).groups(c.groups).bias(new float[c.cout + 1]).threads(1).engine(Engines.reference()).build(), "FloatConv2d", "got " + (c.cout + 1));
            }
            case 4 -> {
                return FuzzCase.rejects(built + " with groups 0", () -> FloatConv2d.builder(w, c.g).groups(0).threads(1)
                        .engine(Engines.reference()).build(), "FloatConv2d", "groups 0");
            }
            default -> {
                FloatConv2d op = FloatConv2d.builder(w, c.g).groups(c.groups).threads(1).engine(Engines.reference()).build();
                int[] in = c.input(r);
                return switch (r.nextInt(3)) {
                    case 0 -> {
                        int[] s = in.clone();
                        s[3] = c.cin + 1;
                        yield FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")",
                                () -> op.forward(Inputs.floats(r, s), Inputs.engine(r)), "FloatConv2d", Arrays.toString(s));
                    }
                    case 1 -> {
                        int pad = (1 << 15) + r.nextInt(1 << 10);
                        ConvGeometry g = new ConvGeometry(c.kh, c.kw, 1, 1, pad, pad, 1, 1);
                        FloatConv2d padded = FloatConv2d.builder(w, g).groups(c.groups).threads(1).engine(Engines.reference()).build();
                        yield FuzzCase.rejects("FloatConv2d(padding " + pad + ").forward(" + Arrays.toString(in) + ")",
                                () -> padded.forward(Inputs.floats(r, in), Inputs.engine(r)), "FloatConv2d", "2^31-1");
                    }
                    default -> Inputs.badFloatInput(r, built, op, Inputs.floats(r, in));
                };
            }
        }
    }

    static float pickNonFinite(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> Float.NaN;
            case 1 -> Float.POSITIVE_INFINITY;
            default -> Float.NEGATIVE_INFINITY;
        };
    }

    private static int[] withLast(int[] s, int last) {
        int[] c = s.clone();
        c[c.length - 1] = last;
        return c;
    }
}
