package dev.vquant.ops.fuzz;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.testing.FuzzCase;
import dev.vquant.engine.testing.FuzzValues;
import dev.vquant.ops.convert.DeQuantize;
import dev.vquant.ops.convert.Flatten;
import dev.vquant.ops.convert.Quantize;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.pool.FloatAdaptiveAvgPool2d;
import dev.vquant.ops.pool.FloatPool2d;
import dev.vquant.ops.pool.QAdaptiveAvgPool2d;
import dev.vquant.ops.pool.QAvgPool2d;
import dev.vquant.ops.pool.QMaxPool2d;

import java.util.Arrays;
import java.util.Random;

/** Bad inputs for max/avg/adaptive-avg pooling (quantized and float), Flatten, Quantize and DeQuantize. */
final class PoolConvertCases {
    private PoolConvertCases() {
    }

    static FuzzCase any(Random r) {
        return switch (r.nextInt(7)) {
            case 0, 1 -> pool(r);
            case 2 -> adaptive(r);
            case 3 -> flatten(r);
            case 4, 5 -> quantize(r);
            default -> dequantize(r);
        };
    }

    /** A pooling window with padding at most half the kernel, as PyTorch requires. */
    private static ConvGeometry window(Random r, boolean dilated) {
        int kh = 1 + r.nextInt(3);
        int kw = 1 + r.nextInt(3);
        return new ConvGeometry(kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1),
                dilated ? 1 + r.nextInt(2) : 1, 1);
    }

    private static FuzzCase pool(Random r) {
        int kind = r.nextInt(4);
        String name = switch (kind) {
            case 0 -> "MaxPool2d";
            case 1 -> "AvgPool2d";
            case 2 -> "FloatMaxPool2d";
            default -> "FloatAvgPool2d";
        };
        boolean average = kind % 2 == 1;
        ConvGeometry g = window(r, !average);
        switch (r.nextInt(9)) {
            case 0 -> {
                return FuzzCase.rejects(name + "(null geometry)", () -> pool(kind, null, 0, 1), name, "geometry", "null");
            }
            case 1 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(name + " with threads " + t, () -> pool(kind, g, 0, t), name, String.valueOf(t));
            }
            case 2 -> {
                if (average) {
                    ConvGeometry d = new ConvGeometry(2, 2, 1, 1, 0, 0, 2, 1);
                    return FuzzCase.rejects(name + "(dilation 2)", () -> pool(kind, d, 0, 1), name, "dilation");
                }
                return FuzzCase.rejects(name + "(null geometry)", () -> pool(kind, null, 0, 1), name, "geometry");
            }
            case 3 -> {
                int div = -1 - r.nextInt(100);
                if (average) {
                    return FuzzCase.rejects(name + "(divisor override " + div + ")", () -> pool(kind, g, div, 1), name,
                            String.valueOf(div));
                }
                return FuzzCase.rejects(name + " with threads " + div, () -> pool(kind, g, 0, div), name, String.valueOf(div));
            }
            default -> {
                Object op = pool(kind, g, 0, 1);
                int h = g.dilationH() * (g.kernelH() - 1) + 1 + r.nextInt(3);
                int w = g.dilationW() * (g.kernelW() - 1) + 1 + r.nextInt(3);
                int[] in = {1 + r.nextInt(2), h, w, 1 + r.nextInt(3)};
                String built = name + "(" + g + ")";
                switch (r.nextInt(4)) {
                    case 0 -> {
                        int[] s = Inputs.otherRank(r, 4);
                        return FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")", () -> call(op, s, r), name,
                                Arrays.toString(s));
                    }
                    case 1 -> {
                        // a kernel larger than the padded input
                        ConvGeometry big = new ConvGeometry(h + 3, 1, 1, 1, 0, 0, 1, 1);
                        Object o2 = pool(kind, big, 0, 1);
                        return FuzzCase.rejects(name + "(" + big + ").forward(" + Arrays.toString(in) + ")", () -> call(o2, in, r), name,
                                "kernel extent");
                    }
                    case 2 -> {
                        // padding more than half the kernel
                        ConvGeometry wide = new ConvGeometry(2, 2, 1, 1, 2, 0, 1, 1);
                        Object o2 = pool(kind, wide, 0, 1);
                        return FuzzCase.rejects(name + "(" + wide + ").forward(" + Arrays.toString(in) + ")", () -> call(o2, in, r), name,
                                "padding");
                    }
                    default -> {
                        return op instanceof QuantizedOperator q ? Inputs.badQuantizedInput(r, built, q, Inputs.quint8(r, in))
                                : Inputs.badFloatInput(r, built, (FloatOperator) op, Inputs.floats(r, in));
                    }
                }
            }
        }
    }

    private static Object pool(int kind, ConvGeometry g, int divisor, int threads) {
        return switch (kind) {
            case 0 -> QMaxPool2d.builder(g).threads(threads).build();
            case 1 -> QAvgPool2d.builder(g).divisorOverride(divisor).threads(threads).build();
            case 2 -> FloatPool2d.max(g).threads(threads).build();
            default -> FloatPool2d.average(g).divisorOverride(divisor).threads(threads).build();
        };
    }

    /** Runs a quantized or float operator on a fresh input of {@code shape}. */
    private static Object call(Object op, int[] shape, Random r) {
        if (op instanceof QuantizedOperator q) {
            return q.forward(Inputs.quint8(r, shape), Inputs.engine(r));
        }
        return ((FloatOperator) op).forward(Inputs.floats(r, shape), Inputs.engine(r));
    }

    private static FuzzCase adaptive(Random r) {
        boolean floating = r.nextBoolean();
        String name = floating ? "FloatAdaptiveAvgPool2d" : "AdaptiveAvgPool2d";
        int oh = 1 + r.nextInt(4);
        int ow = 1 + r.nextInt(4);
        switch (r.nextInt(7)) {
            case 0 -> {
                int bad = -r.nextInt(3);
                return FuzzCase.rejects(name + "(" + bad + ", " + ow + ")",
                        () -> floating ? FloatAdaptiveAvgPool2d.builder(bad, ow).threads(1).build() : QAdaptiveAvgPool2d.builder(bad, ow).threads(1).build(), name,
                        bad + "x" + ow);
            }
            case 1 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(name + " with threads " + t,
                        () -> floating ? FloatAdaptiveAvgPool2d.builder(oh, ow).threads(t).build() : QAdaptiveAvgPool2d.builder(oh, ow).threads(t).build(), name,
                        String.valueOf(t));
            }
            default -> {
                Object op = floating ? FloatAdaptiveAvgPool2d.builder(oh, ow).threads(1).build() : QAdaptiveAvgPool2d.builder(oh, ow).threads(1).build();
                int[] in = {1 + r.nextInt(2), 1 + r.nextInt(5), 1 + r.nextInt(5), 1 + r.nextInt(3)};
                String built = name + "(" + oh + ", " + ow + ")";
                switch (r.nextInt(4)) {
                    case 0 -> {
                        int[] s = in.clone();
                        s[1 + r.nextInt(3)] = 0;
                        return FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")", () -> call(op, s, r), name,
                                Arrays.toString(s));
                    }
                    case 1 -> {
                        int side = (1 << 16) + r.nextInt(1 << 10);
                        Object huge = floating ? FloatAdaptiveAvgPool2d.builder(side).threads(1).build() : QAdaptiveAvgPool2d.builder(side).threads(1).build();
                        int[] s = {1, 1, 1, 1};
                        return FuzzCase.rejects(name + "(" + side + ", " + side + ").forward([1, 1, 1, 1])", () -> call(huge, s, r),
                                name, "2^31-1");
                    }
                    case 2 -> {
                        int[] s = Inputs.otherRank(r, 4);
                        return FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ")", () -> call(op, s, r), name,
                                Arrays.toString(s));
                    }
                    default -> {
                        return op instanceof QuantizedOperator q ? Inputs.badQuantizedInput(r, built, q, Inputs.quint8(r, in))
                                : Inputs.badFloatInput(r, built, (FloatOperator) op, Inputs.floats(r, in));
                    }
                }
            }
        }
    }

    private static FuzzCase flatten(Random r) {
        Flatten f = new Flatten();
        switch (r.nextInt(5)) {
            case 0 -> {
                return FuzzCase.rejects("Flatten.forward((QTensor) null)", () -> f.forward((QTensor) null), "Flatten", "null");
            }
            case 1 -> {
                return FuzzCase.rejects("Flatten.forward((FloatTensor) null)", () -> f.forward((FloatTensor) null), "Flatten", "null");
            }
            case 2 -> {
                boolean q = r.nextBoolean();
                return FuzzCase.rejects("Flatten.forward(rank 0)", () -> q ? f.forward(Inputs.quint8(r)) : f.forward(Inputs.floats(r)),
                        "Flatten", "[]");
            }
            case 3 -> {
                int[] s = FuzzValues.shape(r, 1 + r.nextInt(4), 1, 3);
                QTensor q32 = QTensor.ofInts(new int[FuzzValues.numel(s)], s, QParams.perTensor(0.1, 0, DType.QINT32));
                return FuzzCase.rejects("Flatten.forward(qint32 " + Arrays.toString(s) + ")", () -> f.forward(q32), "Flatten", "qint32");
            }
            default -> {
                int[] s = FuzzValues.shape(r, 2 + r.nextInt(3), 1, 3);
                int axis = 1 + r.nextInt(s.length - 1);
                double[] sc = new double[s[axis]];
                Arrays.fill(sc, 0.1);
                QTensor pc = QTensor.of(new byte[FuzzValues.numel(s)], s, QParams.perChannel(sc, new int[sc.length], axis, DType.QINT8));
                return FuzzCase.rejects("Flatten.forward(" + Arrays.toString(s) + " per-channel along " + axis + ")",
                        () -> f.forward(pc), "Flatten", "axis " + axis);
            }
        }
    }

    private static FuzzCase quantize(Random r) {
        DType dt = FuzzValues.byteType(r);
        switch (r.nextInt(8)) {
            case 0 -> {
                double s = FuzzValues.badScale(r);
                return FuzzCase.rejects("Quantize(scale " + s + ")", () -> Quantize.builder().output(s, 0).dtype(dt).threads(1).build(), "Quantize", String.valueOf(s));
            }
            case 1 -> {
                int zp = FuzzValues.badZeroPoint(r, dt);
                return FuzzCase.rejects("Quantize(zero point " + zp + ", " + dt + ")", () -> Quantize.builder().output(0.1, zp).dtype(dt).threads(1).build(), "Quantize",
                        String.valueOf(zp));
            }
            case 2 -> {
                DType bad = r.nextBoolean() ? null : DType.QINT32;
                return FuzzCase.rejects("Quantize(dtype " + bad + ")", () -> Quantize.builder().output(0.1, 0).dtype(bad).threads(1).build(), "Quantize",
                        String.valueOf(bad));
            }
            case 3 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects("Quantize(threads " + t + ")", () -> Quantize.builder().output(0.1, 0).dtype(dt).threads(t).build(), "Quantize", String.valueOf(t));
            }
            default -> {
                Quantize q = Quantize.builder().output(0.05, dt == DType.QUINT8 ? 128 : 0).dtype(dt).threads(1).build();
                int[] s = FuzzValues.shape(r, r.nextInt(4), 1, 4);
                FloatTensor x = Inputs.floats(r, s);
                return switch (r.nextInt(4)) {
                    case 0 -> {
                        int i = r.nextInt(x.numel());
                        x.data()[i] = Float.NaN;
                        yield FuzzCase.rejects("Quantize.forward(" + Arrays.toString(s) + " with NaN at " + i + ")",
                                () -> q.forward(x, Inputs.engine(r)), "Quantize", "NaN", "element " + i);
                    }
                    case 1 -> FuzzCase.rejects("Quantize.forward(null)", () -> q.forward(null, Inputs.engine(r)), "Quantize", "null");
                    case 2 -> FuzzCase.rejects("Quantize.forward(x, null engine)", () -> q.forward(x, null), "Quantize", "engine");
                    default -> FuzzCase.rejects("Quantize.apply(quint8)", () -> q.apply(Inputs.quint8(r, s)), "Quantize",
                            "already quantized");
                };
            }
        }
    }

    private static FuzzCase dequantize(Random r) {
        DeQuantize d = new DeQuantize(1);
        int[] s = FuzzValues.shape(r, 1 + r.nextInt(3), 1, 4);
        return switch (r.nextInt(6)) {
            case 0 -> {
                int t = Inputs.badThreads(r);
                yield FuzzCase.rejects("DeQuantize(threads " + t + ")", () -> new DeQuantize(t), "DeQuantize", String.valueOf(t));
            }
            case 1 -> FuzzCase.rejects("DeQuantize.forward(null)", () -> d.forward(null, Inputs.engine(r)), "DeQuantize", "null");
            case 2 -> FuzzCase.rejects("DeQuantize.forward(qint32)", () -> d.forward(QTensor.ofInts(new int[FuzzValues.numel(s)], s,
                    QParams.perTensor(0.1, 0, DType.QINT32)), Inputs.engine(r)), "DeQuantize", "qint32");
            case 3 -> FuzzCase.rejects("DeQuantize.forward(x, null engine)", () -> d.forward(Inputs.quint8(r, s), null), "DeQuantize",
                    "engine");
            case 4 -> FuzzCase.rejects("DeQuantize.apply(float)", () -> d.apply(Inputs.floats(r, s)), "DeQuantize",
                    "expected a quantized tensor");
            default -> FuzzCase.rejects("DeQuantize.apply(\"x\")", () -> d.apply("x"), "DeQuantize", "String");
        };
    }
}
