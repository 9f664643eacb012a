package dev.vquant.ops.fuzz;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.testing.FuzzCase;
import dev.vquant.engine.testing.FuzzValues;
import dev.vquant.ops.core.QuantizedBinaryOperator;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.elementwise.FloatActivation;
import dev.vquant.ops.elementwise.FloatAdd;
import dev.vquant.ops.elementwise.FloatCat;
import dev.vquant.ops.elementwise.QAdd;
import dev.vquant.ops.elementwise.QCat;
import dev.vquant.ops.elementwise.QHardswish;
import dev.vquant.ops.elementwise.QMul;
import dev.vquant.ops.elementwise.QRelu;
import dev.vquant.ops.elementwise.QRelu6;
import dev.vquant.ops.elementwise.QSigmoid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Bad inputs for add/mul (+relu), cat, relu, relu6, hardswish, sigmoid and their float twins. */
final class ElementwiseCases {
    private ElementwiseCases() {
    }

    static FuzzCase any(Random r) {
        return switch (r.nextInt(7)) {
            case 0, 1 -> binary(r);
            case 2 -> floatBinary(r);
            case 3 -> cat(r);
            case 4 -> floatCat(r);
            case 5 -> unary(r);
            default -> floatActivation(r);
        };
    }

    private static FuzzCase binary(Random r) {
        boolean mul = r.nextBoolean();
        boolean relu = r.nextBoolean();
        String name = (mul ? "Mul" : "Add") + (relu ? "ReLU" : "");
        String built = name + "(0.1, 5)";
        switch (r.nextInt(8)) {
            case 0 -> {
                Inputs.BadOutput o = Inputs.BadOutput.draw(r);
                return FuzzCase.rejects(name + " with " + o, () -> mul ? QMul.builder().output(o.scale(), o.zeroPoint()).relu(relu).threads(1).build()
                        : QAdd.builder().output(o.scale(), o.zeroPoint()).relu(relu).threads(1).build(), mul ? "Mul" : "Add", o.mention());
            }
            case 1 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(name + " with threads " + t, () -> mul ? QMul.builder().output(0.1, 5).relu(relu).threads(t).build() : QAdd.builder().output(0.1, 5).relu(relu).threads(t).build(),
                        mul ? "Mul" : "Add", String.valueOf(t));
            }
            default -> {
                QuantizedBinaryOperator op = mul ? QMul.builder().output(0.1, 5).relu(relu).threads(1).build() : QAdd.builder().output(0.1, 5).relu(relu).threads(1).build();
                int[] s = FuzzValues.shape(r, 1 + r.nextInt(4), 0, 4);
                QTensor a = Inputs.quint8(r, s);
                // the operands' scales and zero points may differ: that is valid; dtype, granularity and shape may not
                QTensor b = Inputs.quint8(r, s);
                boolean second = r.nextBoolean();
                switch (r.nextInt(6)) {
                    case 0 -> {
                        int[] s2 = s.clone();
                        s2[r.nextInt(s2.length)] += 1 + r.nextInt(2);
                        QTensor c = Inputs.quint8(r, s2);
                        return FuzzCase.rejects(built + ".forward(" + Arrays.toString(s) + ", " + Arrays.toString(s2) + ")",
                                () -> second ? op.forward(a, c) : op.forward(c, a), name, Arrays.toString(s), Arrays.toString(s2));
                    }
                    case 1 -> {
                        return FuzzCase.rejects(built + ".forward(" + (second ? "a, null" : "null, b") + ")",
                                () -> second ? op.forward(a, null) : op.forward(null, b), name, "null");
                    }
                    case 2 -> {
                        QTensor q8 = QTensor.of(b.bytes(), s, QParams.perTensor(0.1, 0, DType.QINT8));
                        return FuzzCase.rejects(built + ".forward(quint8, qint8)", () -> second ? op.forward(a, q8) : op.forward(q8, a),
                                name, "qint8");
                    }
                    case 3 -> {
                        int axis = r.nextInt(s.length);
                        int[] s2 = s.clone();
                        s2[axis] = Math.max(1, s2[axis]);
                        double[] sc = new double[s2[axis]];
                        Arrays.fill(sc, 0.2);
                        QTensor pc = QTensor.of(new byte[FuzzValues.numel(s2)], s2, QParams.perChannel(sc, new int[sc.length], axis,
                                DType.QUINT8));
                        QTensor a2 = Inputs.quint8(r, s2);
                        return FuzzCase.rejects(built + ".forward(per-tensor, per-channel along " + axis + ")",
                                () -> op.forward(a2, pc), name, "per-tensor");
                    }
                    case 4 -> {
                        return FuzzCase.rejects(built + ".apply(float, quint8)",
                                () -> op.apply(FloatTensor.of(new float[a.numel()], s), b), name, "insert a Quantize step");
                    }
                    default -> {
                        return FuzzCase.rejects(built + ".forward(a, b, null engine)", () -> op.forward(a, b, null), name, "engine");
                    }
                }
            }
        }
    }

    private static FuzzCase floatBinary(Random r) {
        boolean mul = r.nextBoolean();
        String name = mul ? "FloatMul" : "FloatAdd";
        switch (r.nextInt(4)) {
            case 0 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects(name + " with threads " + t, () -> (mul ? FloatAdd.multiply() : FloatAdd.add()).threads(t).build(), name, String.valueOf(t));
            }
            default -> {
                FloatAdd op = (mul ? FloatAdd.multiply() : FloatAdd.add()).relu(r.nextBoolean()).threads(1).build();
                int[] s = FuzzValues.shape(r, 1 + r.nextInt(4), 0, 4);
                FloatTensor a = Inputs.floats(r, s);
                return switch (r.nextInt(3)) {
                    case 0 -> {
                        int[] s2 = s.clone();
                        s2[r.nextInt(s2.length)] += 1;
                        FloatTensor b = Inputs.floats(r, s2);
                        yield FuzzCase.rejects(name + ".forward(" + Arrays.toString(s) + ", " + Arrays.toString(s2) + ")",
                                () -> op.forward(a, b), name, Arrays.toString(s2));
                    }
                    case 1 -> FuzzCase.rejects(name + ".forward(a, null)", () -> op.forward(a, null), name, "null");
                    default -> FuzzCase.rejects(name + ".apply(a, quint8)",
                            () -> op.apply(a, Inputs.quint8(r, s)), name, "insert a DeQuantize step");
                };
            }
        }
    }

    private static FuzzCase cat(Random r) {
        int rank = 1 + r.nextInt(4);
        int dim = r.nextInt(rank);
        switch (r.nextInt(9)) {
            case 0 -> {
                int bad = -1 - r.nextInt(10);
                return FuzzCase.rejects("Cat(dim " + bad + ")", () -> QCat.builder(bad).output(0.1, 0).build(), "Cat", String.valueOf(bad));
            }
            case 1 -> {
                Inputs.BadOutput o = Inputs.BadOutput.draw(r);
                return FuzzCase.rejects("Cat(" + dim + ", " + o + ")", () -> QCat.builder(dim).output(o.scale(), o.zeroPoint()).build(), "Cat", o.mention());
            }
            default -> {
                QCat op = QCat.builder(dim).output(0.1, 7).build();
                List<QTensor> in = new ArrayList<>();
                int[] s = FuzzValues.shape(r, rank, 0, 3);
                int count = 1 + r.nextInt(3);
                for (int i = 0; i < count; i++) {
                    int[] si = s.clone();
                    si[dim] = r.nextInt(4);
                    in.add(Inputs.quint8(r, si));
                }
                String built = "Cat(dim " + dim + ")";
                switch (r.nextInt(7)) {
                    case 0 -> {
                        return FuzzCase.rejects(built + ".forward(null)", () -> op.forward(null), "Cat", "at least one");
                    }
                    case 1 -> {
                        return FuzzCase.rejects(built + ".forward([])", () -> op.forward(List.of()), "Cat", "at least one");
                    }
                    case 2 -> {
                        List<QTensor> withNull = new ArrayList<>(in);
                        withNull.add(r.nextInt(withNull.size() + 1), null);
                        return FuzzCase.rejects(built + ".forward(list with null)", () -> op.forward(withNull), "Cat", "null");
                    }
                    case 3 -> {
                        int[] si = s.clone();
                        int other = (dim + 1 + r.nextInt(rank)) % rank;
                        if (other == dim) {
                            si = Arrays.copyOf(si, rank + 1);
                        } else {
                            si[other] += 1;
                        }
                        QTensor odd = Inputs.quint8(r, si);
                        List<QTensor> l = new ArrayList<>(in);
                        l.add(odd);
                        return FuzzCase.rejects(built + ".forward(" + shapes(l) + ")", () -> op.forward(l), "Cat", Arrays.toString(si));
                    }
                    case 4 -> {
                        QCat far = QCat.builder(rank + r.nextInt(3)).output(0.1, 7).build();
                        return FuzzCase.rejects("Cat(dim beyond rank " + rank + ").forward(" + shapes(in) + ")", () -> far.forward(in),
                                "Cat", "dimension", "out of range");
                    }
                    case 5 -> {
                        List<QTensor> l = new ArrayList<>(in);
                        l.add(QTensor.of(new byte[in.get(0).numel()], in.get(0).shape(), QParams.perTensor(0.1, 0, DType.QINT8)));
                        return FuzzCase.rejects(built + ".forward(quint8..., qint8)", () -> op.forward(l), "Cat", "qint8");
                    }
                    default -> {
                        return overflowingCat(r);
                    }
                }
            }
        }
    }

    /** The same small tensor listed so many times that the concatenation passes 2^31-1 elements. */
    private static FuzzCase overflowingCat(Random r) {
        int len = 1 << (14 + r.nextInt(3));
        int copies = (int) (Integer.MAX_VALUE / len) + 1 + r.nextInt(10);
        boolean floating = r.nextBoolean();
        int dim = r.nextInt(2);
        int[] s = dim == 0 ? new int[]{len, 1} : new int[]{1, len};
        String d = (floating ? "FloatCat" : "Cat") + "(dim " + dim + ").forward(" + copies + " x " + Arrays.toString(s) + ")";
        if (floating) {
            List<FloatTensor> l = Collections.nCopies(copies, FloatTensor.of(new float[len], s));
            return FuzzCase.rejects(d, () -> new FloatCat(dim).forward(l), "FloatCat", "2^31-1");
        }
        List<QTensor> l = Collections.nCopies(copies, QTensor.of(new byte[len], s, QParams.perTensor(0.1, 7, DType.QUINT8)));
        return FuzzCase.rejects(d, () -> QCat.builder(dim).output(0.1, 7).build().forward(l), "Cat", "2^31-1");
    }

    private static String shapes(List<QTensor> l) {
        StringBuilder b = new StringBuilder();
        for (QTensor t : l) {
            b.append(b.length() == 0 ? "" : ", ").append(t == null ? "null" : Arrays.toString(t.shape()));
        }
        return b.toString();
    }

    private static FuzzCase floatCat(Random r) {
        int rank = 1 + r.nextInt(3);
        int dim = r.nextInt(rank);
        FloatCat op = new FloatCat(dim);
        int[] s = FuzzValues.shape(r, rank, 1, 3);
        FloatTensor a = Inputs.floats(r, s);
        return switch (r.nextInt(5)) {
            case 0 -> FuzzCase.rejects("FloatCat(dim -1)", () -> new FloatCat(-1 - r.nextInt(5)), "FloatCat", "dimension");
            case 1 -> FuzzCase.rejects("FloatCat.forward([a, null])", () -> op.forward(Arrays.asList(a, null)), "FloatCat", "null");
            case 2 -> FuzzCase.rejects("FloatCat.forward(null)", () -> op.forward(null), "FloatCat", "at least one");
            case 3 -> {
                int[] s2 = Arrays.copyOf(s, rank + 1);
                s2[rank] = 2;
                FloatTensor b = Inputs.floats(r, s2);
                yield FuzzCase.rejects("FloatCat(dim " + dim + ").forward(" + Arrays.toString(s) + ", " + Arrays.toString(s2) + ")",
                        () -> op.forward(List.of(a, b)), "FloatCat", Arrays.toString(s2));
            }
            default -> overflowingCat(r);
        };
    }

    private static FuzzCase unary(Random r) {
        int kind = r.nextInt(4);
        String name = switch (kind) {
            case 0 -> "ReLU";
            case 1 -> "ReLU6";
            case 2 -> "Hardswish";
            default -> "Sigmoid";
        };
        int choice = r.nextInt(6);
        if (choice == 0) {
            int t = Inputs.badThreads(r);
            return FuzzCase.rejects(name + " with threads " + t, () -> unaryOp(kind, t), name, String.valueOf(t));
        }
        if (choice == 1 && kind == 2) {
            Inputs.BadOutput o = Inputs.BadOutput.draw(r);
            return FuzzCase.rejects("Hardswish(" + o + ")", () -> QHardswish.builder().output(o.scale(), o.zeroPoint()).threads(1).build(), "Hardswish", o.mention());
        }
        QuantizedOperator op = unaryOp(kind, 1);
        int[] s = FuzzValues.shape(r, r.nextInt(5), 0, 4);
        return Inputs.badQuantizedInput(r, name, op, Inputs.quint8(r, s));
    }

    private static QuantizedOperator unaryOp(int kind, int threads) {
        return switch (kind) {
            case 0 -> new QRelu(threads);
            case 1 -> new QRelu6(threads);
            case 2 -> QHardswish.builder().output(0.05, 10).threads(threads).build();
            default -> new QSigmoid(threads);
        };
    }

    private static FuzzCase floatActivation(Random r) {
        FloatActivation.Kind kind = FloatActivation.Kind.values()[r.nextInt(4)];
        switch (r.nextInt(4)) {
            case 0 -> {
                return FuzzCase.rejects("FloatActivation(null)", () -> new FloatActivation(null, 1), "FloatActivation", "kind", "null");
            }
            case 1 -> {
                int t = Inputs.badThreads(r);
                return FuzzCase.rejects("Float" + kind + " with threads " + t, () -> new FloatActivation(kind, t), "Float" + kind,
                        String.valueOf(t));
            }
            default -> {
                FloatActivation op = new FloatActivation(kind, 1);
                return Inputs.badFloatInput(r, "Float" + kind, op, Inputs.floats(r, FuzzValues.shape(r, r.nextInt(4), 0, 4)));
            }
        }
    }
}
