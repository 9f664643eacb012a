package dev.vquant.ops.fuzz;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.testing.FuzzCase;
import dev.vquant.engine.testing.FuzzValues;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.testing.Engines;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Valid tensors and the bad inputs every operator must refuse the same way, for the operator
 * fuzz properties: a null input or engine, the wrong dtype or granularity, a float tensor where a
 * quantized one belongs (and the reverse), an object that is no tensor.
 */
final class Inputs {
    private Inputs() {
    }

    /** One of the engines installed here (the reference always is). */
    static KernelBackend engine(Random r) {
        List<KernelBackend> all = Engines.installed();
        return all.get(r.nextInt(all.size()));
    }

    static QTensor quint8(Random r, int... shape) {
        return QTensor.of(FuzzValues.bytes(r, FuzzValues.numel(shape)), shape,
                QParams.perTensor(0.01 + r.nextDouble() * 0.1, r.nextInt(256), DType.QUINT8));
    }

    static QTensor quint8(Random r, double scale, int zp, int... shape) {
        return QTensor.of(FuzzValues.bytes(r, FuzzValues.numel(shape)), shape, QParams.perTensor(scale, zp, DType.QUINT8));
    }

    /** A qint8 weight, per tensor or per channel along axis 0. */
    static QTensor qint8(Random r, boolean perChannel, int... shape) {
        QParams q;
        if (perChannel) {
            double[] s = new double[shape[0]];
            Arrays.fill(s, 0.002 + r.nextDouble() * 0.02);
            q = QParams.perChannel(s, new int[shape[0]], 0, DType.QINT8);
        } else {
            q = QParams.perTensor(0.002 + r.nextDouble() * 0.02, r.nextInt(9) - 4, DType.QINT8);
        }
        return QTensor.of(FuzzValues.bytes(r, FuzzValues.numel(shape)), shape, q);
    }

    static FloatTensor floats(Random r, int... shape) {
        return FloatTensor.of(FuzzValues.floats(r, FuzzValues.numel(shape)), shape);
    }

    /** A shape of any rank in [0, 5] other than {@code rank}, small dimensions. */
    static int[] otherRank(Random r, int rank) {
        int k = r.nextInt(5);
        if (k >= rank) {
            k++;
        }
        return FuzzValues.shape(r, k, 1, 3);
    }

    /**
     * The bad inputs any quantized operator refuses, given a valid input {@code x}: null, qint8,
     * qint32, per-channel qparams, a float tensor or a string through {@code apply}, a null engine.
     */
    static FuzzCase badQuantizedInput(Random r, String built, QuantizedOperator op, QTensor x) {
        String name = op.name();
        int[] s = x.shape();
        String where = built + ".forward(";
        switch (r.nextInt(7)) {
            case 0 -> {
                return FuzzCase.rejects(where + "null)", () -> op.forward(null, engine(r)), name, "null");
            }
            case 1 -> {
                QTensor q = QTensor.of(x.bytes(), s, QParams.perTensor(0.05, -3, DType.QINT8));
                return FuzzCase.rejects(where + "qint8 " + Arrays.toString(s) + ")", () -> op.forward(q, engine(r)), name, "qint8");
            }
            case 2 -> {
                QTensor q = QTensor.ofInts(new int[x.numel()], s, QParams.perTensor(0.05, 7, DType.QINT32));
                return FuzzCase.rejects(where + "qint32 " + Arrays.toString(s) + ")", () -> op.forward(q, engine(r)), name,
                        "qint32");
            }
            case 3 -> {
                int axis = r.nextInt(Math.max(1, s.length));
                if (s.length == 0 || s[axis] == 0) {
                    return FuzzCase.rejects(where + "x, null engine)", () -> op.forward(x, null), name, "engine");
                }
                double[] sc = new double[s[axis]];
                Arrays.fill(sc, 0.1);
                QTensor q = QTensor.of(x.bytes(), s, QParams.perChannel(sc, new int[s[axis]], axis, DType.QUINT8));
                return FuzzCase.rejects(where + "per-channel quint8 along axis " + axis + ")", () -> op.forward(q, engine(r)),
                        name, "per-tensor");
            }
            case 4 -> {
                FloatTensor f = FloatTensor.of(new float[x.numel()], s);
                return FuzzCase.rejects(built + ".apply(float " + Arrays.toString(s) + ")", () -> op.apply(f), name,
                        "insert a Quantize step");
            }
            case 5 -> {
                return FuzzCase.rejects(built + ".apply(\"x\")", () -> op.apply("x"), name, "String");
            }
            default -> {
                return FuzzCase.rejects(where + "x, null engine)", () -> op.forward(x, null), name, "engine", "null");
            }
        }
    }

    /** The bad inputs any float operator refuses: null, a quantized tensor or a number through {@code apply}, a null engine. */
    static FuzzCase badFloatInput(Random r, String built, FloatOperator op, FloatTensor x) {
        String name = op.name();
        switch (r.nextInt(4)) {
            case 0 -> {
                return FuzzCase.rejects(built + ".forward(null)", () -> op.forward(null, engine(r)), name, "null");
            }
            case 1 -> {
                QTensor q = QTensor.of(new byte[x.numel()], x.shape(), QParams.perTensor(0.1, 0, DType.QUINT8));
                return FuzzCase.rejects(built + ".apply(quint8 " + Arrays.toString(x.shape()) + ")", () -> op.apply(q), name,
                        "insert a DeQuantize step");
            }
            case 2 -> {
                return FuzzCase.rejects(built + ".apply(42)", () -> op.apply(42), name, "Integer");
            }
            default -> {
                return FuzzCase.rejects(built + ".forward(x, null engine)", () -> op.forward(x, null), name, "engine", "null");
            }
        }
    }

    /** A bad output scale or zero point pair for a quint8 output, and the fragment its message must show. */
    record BadOutput(double scale, int zeroPoint, String mention) {
        static BadOutput draw(Random r) {
            if (r.nextBoolean()) {
                double s = FuzzValues.badScale(r);
                return new BadOutput(s, r.nextInt(256), String.valueOf(s));
            }
            int zp = FuzzValues.badZeroPoint(r, DType.QUINT8);
            return new BadOutput(0.05, zp, String.valueOf(zp));
        }

        @Override
        public String toString() {
            return "output(" + scale + ", " + zeroPoint + ")";
        }
    }

    /** A negative thread count. */
    static int badThreads(Random r) {
        return r.nextBoolean() ? -1 : Integer.MIN_VALUE + r.nextInt(1000);
    }
}
