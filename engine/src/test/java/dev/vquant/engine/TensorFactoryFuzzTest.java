package dev.vquant.engine;

import dev.vquant.engine.testing.FuzzCase;
import dev.vquant.engine.testing.FuzzValues;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the tensor and qparams factories ({@link QParams}, {@link QTensor}, {@link FloatTensor},
 * {@link Quantization}) with inputs that are bad by construction (NaN/infinite/non-positive/subnormal
 * scales, zero points outside the dtype, per-channel arrays and axes that do not fit, null, negative
 * dimensions, shapes whose element count overflows an int, data of the wrong length, NaN to
 * quantize): each must end in an IllegalArgumentException naming the parameter and the value
 * ({@link FuzzCase}). A second property builds valid boundary inputs and checks what comes back.
 * Seeds are fixed so a run is reproducible; a failure prints the seed and the case.
 */
class TensorFactoryFuzzTest {
    static final int BAD_TRIES = 3000;
    static final int VALID_TRIES = 500;

    @Property(tries = BAD_TRIES, seed = "20261203", generation = GenerationMode.RANDOMIZED, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    @Label("3000 bad inputs to QParams, QTensor, FloatTensor and Quantization each end in a documented exception")
    void badInputsAreRejected(@ForAll("bad") FuzzCase c) {
        c.run();
    }

    @Property(tries = VALID_TRIES, seed = "20261203", generation = GenerationMode.RANDOMIZED, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    @Label("500 valid boundary inputs (empty dimensions, extreme scales and zero points, infinities) give the defined result")
    void validBoundaryInputsWork(@ForAll("valid") FuzzCase c) {
        c.run();
    }

    @AfterContainer
    static void everyTryRan() {
        assertTrue(FuzzCase.badTried() >= BAD_TRIES, "bad inputs tried: " + FuzzCase.badTried());
    }

    @Provide
    Arbitrary<FuzzCase> bad() {
        return Arbitraries.randomValue(TensorFactoryFuzzTest::badCase);
    }

    @Provide
    Arbitrary<FuzzCase> valid() {
        return Arbitraries.randomValue(TensorFactoryFuzzTest::validCase);
    }

    static FuzzCase badCase(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> badPerTensor(r);
            case 1 -> badPerChannel(r);
            case 2, 3 -> badQTensor(r);
            case 4 -> badFloatTensor(r);
            case 5 -> badDim(r);
            default -> badQuantization(r);
        };
    }

    private static FuzzCase badPerTensor(Random r) {
        DType dt = FuzzValues.byteType(r);
        switch (r.nextInt(3)) {
            case 0 -> {
                double s = FuzzValues.badScale(r);
                int zp = FuzzValues.goodZeroPoint(r, dt);
                return FuzzCase.rejects("QParams.perTensor(scale " + s + ", " + zp + ", " + dt + ")",
                        () -> QParams.perTensor(s, zp, dt), "scale", String.valueOf(s));
            }
            case 1 -> {
                int zp = FuzzValues.badZeroPoint(r, dt);
                return FuzzCase.rejects("QParams.perTensor(0.1, zero point " + zp + ", " + dt + ")",
                        () -> QParams.perTensor(0.1, zp, dt), "zero_point", String.valueOf(zp), dt.toString());
            }
            default -> {
                return FuzzCase.rejects("QParams.perTensor(0.1, 0, null)", () -> QParams.perTensor(0.1, 0, null), "dtype", "null");
            }
        }
    }

    private static FuzzCase badPerChannel(Random r) {
        DType dt = FuzzValues.byteType(r);
        int n = 1 + r.nextInt(6);
        double[] s = new double[n];
        int[] z = new int[n];
        for (int c = 0; c < n; c++) {
            s[c] = FuzzValues.goodScale(r);
            z[c] = FuzzValues.goodZeroPoint(r, dt);
        }
        int axis = r.nextInt(3);
        switch (r.nextInt(7)) {
            case 0 -> {
                boolean scales = r.nextBoolean();
                return FuzzCase.rejects("QParams.perChannel with null " + (scales ? "scales" : "zero points"),
                        () -> QParams.perChannel(scales ? null : s, scales ? z : null, axis, dt), "null");
            }
            case 1 -> {
                int[] z2 = Arrays.copyOf(z, n + 1 + r.nextInt(3));
                return FuzzCase.rejects("QParams.perChannel(" + n + " scales, " + z2.length + " zero points)",
                        () -> QParams.perChannel(s, z2, axis, dt), n + " scales", z2.length + " zero points");
            }
            case 2 -> {
                return FuzzCase.rejects("QParams.perChannel(empty arrays)",
                        () -> QParams.perChannel(new double[0], new int[0], axis, dt), "0 scales");
            }
            case 3 -> {
                int bad = -1 - r.nextInt(Integer.MAX_VALUE);
                return FuzzCase.rejects("QParams.perChannel(axis " + bad + ")", () -> QParams.perChannel(s, z, bad, dt),
                        "axis", String.valueOf(bad));
            }
            case 4 -> {
                int c = r.nextInt(n);
                s[c] = FuzzValues.badScale(r);
                return FuzzCase.rejects("QParams.perChannel(scales " + Arrays.toString(s) + ")",
                        () -> QParams.perChannel(s, z, axis, dt), "scales[" + c + "]", String.valueOf(s[c]));
            }
            case 5 -> {
                int c = r.nextInt(n);
                z[c] = FuzzValues.badZeroPoint(r, dt);
                return FuzzCase.rejects("QParams.perChannel(" + dt + " zero points " + Arrays.toString(z) + ")",
                        () -> QParams.perChannel(s, z, axis, dt), "zero_points[" + c + "]", String.valueOf(z[c]));
            }
            default -> {
                return FuzzCase.rejects("QParams.perChannel(dtype null)", () -> QParams.perChannel(s, z, axis, null), "dtype",
                        "null");
            }
        }
    }

    private static FuzzCase badQTensor(Random r) {
        DType dt = FuzzValues.byteType(r);
        QParams pt = QParams.perTensor(FuzzValues.goodScale(r), FuzzValues.goodZeroPoint(r, dt), dt);
        int[] shape = FuzzValues.shape(r, r.nextInt(5), 0, 5);
        int n = FuzzValues.numel(shape);
        byte[] data = FuzzValues.bytes(r, n);
        String sh = Arrays.toString(shape);
        switch (r.nextInt(10)) {
            case 0 -> {
                return FuzzCase.rejects("QTensor.of(null data, " + sh + ")", () -> QTensor.of(null, shape, pt), "data", "null");
            }
            case 1 -> {
                return FuzzCase.rejects("QTensor.of(" + n + " bytes, null shape)", () -> QTensor.of(data, null, pt), "shape",
                        "null");
            }
            case 2 -> {
                int[] neg = shape.length == 0 ? new int[]{-1} : shape.clone();
                int at = r.nextInt(neg.length);
                neg[at] = -1 - r.nextInt(Integer.MAX_VALUE);
                return FuzzCase.rejects("QTensor.of(shape " + Arrays.toString(neg) + ")", () -> QTensor.of(new byte[0], neg, pt),
                        "negative", String.valueOf(neg[at]));
            }
            case 3 -> {
                int[] big = FuzzValues.overflowingShape(r);
                return FuzzCase.rejects("QTensor.of(shape " + Arrays.toString(big) + ")", () -> QTensor.of(new byte[0], big, pt),
                        Arrays.toString(big), "2^31-1");
            }
            case 4 -> {
                byte[] wrong = new byte[n + 1 + r.nextInt(5)];
                return FuzzCase.rejects("QTensor.of(" + wrong.length + " bytes, shape " + sh + ")",
                        () -> QTensor.of(wrong, shape, pt), sh, String.valueOf(wrong.length));
            }
            case 5 -> {
                return FuzzCase.rejects("QTensor.of(" + sh + ", null qparams)", () -> QTensor.of(data, shape, null), "qparams",
                        "null");
            }
            case 6 -> {
                QParams q32 = QParams.perTensor(0.5, r.nextInt(), DType.QINT32);
                return FuzzCase.rejects("QTensor.of(bytes, qint32 qparams)", () -> QTensor.of(data, shape, q32), "qint32");
            }
            case 7 -> {
                return FuzzCase.rejects("QTensor.ofInts(ints, " + dt + " qparams)", () -> QTensor.ofInts(new int[n], shape, pt),
                        "qint32", dt.toString());
            }
            case 8 -> {
                int axis = shape.length + r.nextInt(3);
                QParams pc = QParams.perChannel(new double[]{0.5}, new int[]{0}, axis, dt);
                return FuzzCase.rejects("QTensor.of(shape " + sh + ", per-channel axis " + axis + ")",
                        () -> QTensor.of(data, shape, pc), "axis " + axis, sh);
            }
            default -> {
                int[] s2 = shape.length == 0 ? new int[]{1 + r.nextInt(4)} : shape;
                int axis = r.nextInt(s2.length);
                int count = s2[axis] + 1 + r.nextInt(3);
                double[] sc = new double[count];
                Arrays.fill(sc, 0.25);
                QParams pc = QParams.perChannel(sc, new int[count], axis, dt);
                byte[] d2 = new byte[FuzzValues.numel(s2)];
                return FuzzCase.rejects("QTensor.of(shape " + Arrays.toString(s2) + ", " + count + " channels along axis " + axis + ")",
                        () -> QTensor.of(d2, s2, pc), count + " channels", "axis " + axis);
            }
        }
    }

    private static FuzzCase badFloatTensor(Random r) {
        int[] shape = FuzzValues.shape(r, r.nextInt(5), 0, 5);
        int n = FuzzValues.numel(shape);
        String sh = Arrays.toString(shape);
        switch (r.nextInt(5)) {
            case 0 -> {
                return FuzzCase.rejects("FloatTensor.of(null data, " + sh + ")", () -> FloatTensor.of(null, shape), "data", "null");
            }
            case 1 -> {
                return FuzzCase.rejects("FloatTensor.of(data, null shape)", () -> FloatTensor.of(new float[n], (int[]) null),
                        "shape", "null");
            }
            case 2 -> {
                int[] neg = shape.length == 0 ? new int[]{-1} : shape.clone();
                int at = r.nextInt(neg.length);
                neg[at] = -1 - r.nextInt(Integer.MAX_VALUE);
                return FuzzCase.rejects("FloatTensor.of(shape " + Arrays.toString(neg) + ")", () -> FloatTensor.of(new float[0], neg),
                        "negative", String.valueOf(neg[at]));
            }
            case 3 -> {
                int[] big = FuzzValues.overflowingShape(r);
                return FuzzCase.rejects("FloatTensor.of(shape " + Arrays.toString(big) + ")",
                        () -> FloatTensor.of(new float[0], big), Arrays.toString(big), "2^31-1");
            }
            default -> {
                float[] wrong = new float[n == 0 ? 1 + r.nextInt(3) : r.nextInt(n)];
                return FuzzCase.rejects("FloatTensor.of(" + wrong.length + " floats, shape " + sh + ")",
                        () -> FloatTensor.of(wrong, shape), sh, String.valueOf(wrong.length));
            }
        }
    }

    private static FuzzCase badDim(Random r) {
        int[] shape = FuzzValues.shape(r, r.nextInt(4), 1, 4);
        int i = r.nextBoolean() ? -1 - r.nextInt(5) : shape.length + r.nextInt(5);
        if (r.nextBoolean()) {
            QTensor q = QTensor.of(new byte[FuzzValues.numel(shape)], shape, QParams.perTensor(0.5, 3, DType.QUINT8));
            return FuzzCase.rejects("QTensor " + Arrays.toString(shape) + ".dim(" + i + ")", () -> q.dim(i), "dimension " + i,
                    Arrays.toString(shape));
        }
        FloatTensor f = FloatTensor.of(new float[FuzzValues.numel(shape)], shape);
        return FuzzCase.rejects("FloatTensor " + Arrays.toString(shape) + ".dim(" + i + ")", () -> f.dim(i), "dimension " + i,
                Arrays.toString(shape));
    }

    private static FuzzCase badQuantization(Random r) {
        int[] shape = FuzzValues.shape(r, 1 + r.nextInt(3), 1, 5);
        int n = FuzzValues.numel(shape);
        float[] x = FuzzValues.floats(r, n);
        FloatTensor t = FloatTensor.of(x, shape);
        DType dt = FuzzValues.byteType(r);
        QParams pt = QParams.perTensor(FuzzValues.goodScale(r), FuzzValues.goodZeroPoint(r, dt), dt);
        switch (r.nextInt(6)) {
            case 0 -> {
                return FuzzCase.rejects("Quantization.quantize(null, qparams)", () -> Quantization.quantize(null, pt), "quantize",
                        "tensor", "null");
            }
            case 1 -> {
                return FuzzCase.rejects("Quantization.quantize(x, null)", () -> Quantization.quantize(t, null), "quantize",
                        "qparams", "null");
            }
            case 2 -> {
                int i = r.nextInt(n);
                x[i] = Float.NaN;
                return FuzzCase.rejects("Quantization.quantize(x " + Arrays.toString(shape) + " with NaN at " + i + ")",
                        () -> Quantization.quantize(t, pt), "NaN", "element " + i);
            }
            case 3 -> {
                QParams q32 = QParams.perTensor(0.5, 0, DType.QINT32);
                return FuzzCase.rejects("Quantization.quantize(x, qint32)", () -> Quantization.quantize(t, q32), "qint32");
            }
            case 4 -> {
                int axis = r.nextInt(shape.length);
                int count = shape[axis] + 1;
                double[] sc = new double[count];
                Arrays.fill(sc, 0.1);
                QParams pc = QParams.perChannel(sc, new int[count], axis, dt);
                return FuzzCase.rejects("Quantization.quantize(x " + Arrays.toString(shape) + ", " + count + " channels on axis "
                        + axis + ")", () -> Quantization.quantize(t, pc), count + " channels", "axis " + axis);
            }
            default -> {
                if (r.nextBoolean()) {
                    return FuzzCase.rejects("Quantization.dequantize(null)", () -> Quantization.dequantize(null), "dequantize",
                            "null");
                }
                QTensor q32 = QTensor.ofInts(new int[n], shape, QParams.perTensor(0.5, 0, DType.QINT32));
                return FuzzCase.rejects("Quantization.dequantize(qint32 " + Arrays.toString(shape) + ")",
                        () -> Quantization.dequantize(q32), "qint32");
            }
        }
    }

    static FuzzCase validCase(Random r) {
        DType dt = FuzzValues.byteType(r);
        switch (r.nextInt(3)) {
            case 0 -> {
                // an empty tensor whose non-zero dimensions still fit an int
                int[] shape = FuzzValues.shape(r, 2 + r.nextInt(3), 0, 3);
                int zero = r.nextInt(shape.length);
                shape[zero] = 0;
                if (r.nextBoolean()) {
                    shape[(zero + 1) % shape.length] = Integer.MAX_VALUE / 27;
                }
                double s = FuzzValues.goodScale(r);
                int zp = FuzzValues.goodZeroPoint(r, dt);
                return FuzzCase.accepts("QTensor.of(0 bytes, shape " + Arrays.toString(shape) + ", " + s + ", " + zp + ")",
                        () -> QTensor.of(new byte[0], shape, QParams.perTensor(s, zp, dt)), q -> {
                            assertArrayEquals(shape, q.shape());
                            assertEquals(0, q.numel());
                            assertEquals(s, q.qparams().scale(0));
                            assertEquals(zp, q.qparams().zeroPoint(0));
                        });
            }
            case 1 -> {
                int[] shape = FuzzValues.shape(r, 1 + r.nextInt(3), 1, 4);
                int axis = r.nextInt(shape.length);
                double[] s = new double[shape[axis]];
                int[] z = new int[shape[axis]];
                for (int c = 0; c < s.length; c++) {
                    s[c] = FuzzValues.goodScale(r);
                    z[c] = FuzzValues.goodZeroPoint(r, dt);
                }
                byte[] data = FuzzValues.bytes(r, FuzzValues.numel(shape));
                return FuzzCase.accepts("QTensor.of(shape " + Arrays.toString(shape) + ", per-channel axis " + axis + ", scales "
                        + Arrays.toString(s) + ", zero points " + Arrays.toString(z) + ")",
                        () -> QTensor.of(data, shape, QParams.perChannel(s, z, axis, dt)), q -> {
                            assertEquals(shape[axis], q.dim(axis));
                            assertArrayEquals(z, q.qparams().zeroPoints());
                            for (int c = 0; c < s.length; c++) {
                                assertEquals(s[c], q.qparams().scale(c));
                            }
                        });
            }
            default -> {
                // quantize with extreme values and scales: the clamp in float32 of the PyTorch formula
                int n = 1 + r.nextInt(8);
                float[] x = FuzzValues.floats(r, n);
                float[] extremes = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 0f, -0f,
                        Float.MIN_VALUE};
                for (int i = 0; i < n; i++) {
                    if (r.nextInt(3) == 0) {
                        x[i] = extremes[r.nextInt(extremes.length)];
                    }
                }
                double s = FuzzValues.goodScale(r);
                int zp = FuzzValues.goodZeroPoint(r, dt);
                return FuzzCase.accepts("Quantization.quantize(" + Arrays.toString(x) + ", " + s + ", " + zp + ", " + dt + ")",
                        () -> Quantization.quantize(FloatTensor.of(x.clone(), n), QParams.perTensor(s, zp, dt)), q -> {
                            float inv = 1.0f / (float) s;
                            for (int i = 0; i < n; i++) {
                                float v = (float) Math.rint(x[i] * inv) + zp;
                                int want = (int) Math.min(Math.max(v, (float) dt.min()), (float) dt.max());
                                if (Float.isNaN(v)) {
                                    throw new AssertionError("oracle NaN for " + x[i]);
                                }
                                assertEquals(want, q.intAt(i), "element " + i + " = " + x[i]);
                            }
                        });
            }
        }
    }
}
