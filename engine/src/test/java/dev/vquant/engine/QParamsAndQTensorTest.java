package dev.vquant.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation messages of {@link QParams}, {@link QTensor}, {@link FloatTensor} and {@link DType}. */
class QParamsAndQTensorTest {

    private static void assertMessage(String expectedPart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message '" + e.getMessage() + "' should contain '" + expectedPart + "'");
    }

    @Test
    void scalesMustBePositiveFiniteFloat32() {
        assertMessage("scale must be finite and > 0, got 0.0", () -> QParams.perTensor(0, 0, DType.QUINT8));
        assertMessage("scale must be finite and > 0, got -1.0", () -> QParams.perTensor(-1, 0, DType.QUINT8));
        assertMessage("got NaN", () -> QParams.perTensor(Double.NaN, 0, DType.QUINT8));
        assertMessage("got Infinity", () -> QParams.perTensor(Double.POSITIVE_INFINITY, 0, DType.QUINT8));
        assertMessage("is not a positive finite float32", () -> QParams.perTensor(1e-50, 0, DType.QUINT8));
        assertMessage("is not a positive finite float32", () -> QParams.perTensor(1e300, 0, DType.QUINT8));
        assertMessage("scales[1] must be finite and > 0", () -> QParams.perChannel(new double[] {1, 0}, new int[] {0, 0}, 0, DType.QINT8));
    }

    @Test
    void zeroPointsMustFitTheDType() {
        assertMessage("zero_point = 256 is outside quint8 range [0, 255]", () -> QParams.perTensor(1, 256, DType.QUINT8));
        assertMessage("zero_point = -1 is outside quint8", () -> QParams.perTensor(1, -1, DType.QUINT8));
        assertMessage("zero_point = 128 is outside qint8 range [-128, 127]", () -> QParams.perTensor(1, 128, DType.QINT8));
        assertMessage("zero_points[2] = -129", () -> QParams.perChannel(new double[] {1, 1, 1}, new int[] {0, 0, -129}, 0, DType.QINT8));
        QParams.perTensor(1, -128, DType.QINT8);
        QParams.perTensor(1, 255, DType.QUINT8);
    }

    @Test
    void perChannelShapeChecks() {
        assertMessage("2 scales, 3 zero points", () -> QParams.perChannel(new double[] {1, 1}, new int[] {0, 0, 0}, 0, DType.QINT8));
        assertMessage("at least one", () -> QParams.perChannel(new double[0], new int[0], 0, DType.QINT8));
        assertMessage("axis must be >= 0, got -1", () -> QParams.perChannel(new double[] {1}, new int[] {0}, -1, DType.QINT8));
        assertMessage("must not be null", () -> QParams.perChannel(null, new int[] {0}, 0, DType.QINT8));
        assertMessage("dtype must not be null", () -> QParams.perTensor(1, 0, null));
    }

    @Test
    void perChannelCopiesItsArraysAndComparesByValue() {
        double[] scales = {0.5, 0.25};
        int[] zps = {1, 2};
        QParams.PerChannel a = QParams.perChannel(scales, zps, 1, DType.QINT8);
        scales[0] = 9;
        zps[0] = 9;
        assertEquals(0.5, a.scale(0));
        assertEquals(1, a.zeroPoint(0));
        a.scales()[1] = 7;
        assertEquals(0.25, a.scale(1));
        assertEquals(a, QParams.perChannel(new double[] {0.5, 0.25}, new int[] {1, 2}, 1, DType.QINT8));
        assertEquals(a.hashCode(), QParams.perChannel(new double[] {0.5, 0.25}, new int[] {1, 2}, 1, DType.QINT8).hashCode());
        assertNotEquals(a, QParams.perChannel(new double[] {0.5, 0.25}, new int[] {1, 2}, 0, DType.QINT8));
        assertArrayEquals(new float[] {0.5f, 0.25f}, a.floatScales());
    }

    @Test
    void tensorShapeMustMatchTheData() {
        QParams qp = QParams.perTensor(1, 0, DType.QUINT8);
        assertMessage("shape [2, 3] holds 6 elements but the data has 5", () -> QTensor.of(new byte[5], new int[] {2, 3}, qp));
        assertMessage("negative dimension", () -> QTensor.of(new byte[0], new int[] {2, -1}, qp));
        assertMessage("shape must not be null", () -> QTensor.of(new byte[1], null, qp));
        assertMessage("data must not be null", () -> QTensor.of(null, new int[] {1}, qp));
        assertMessage("qparams must not be null", () -> QTensor.of(new byte[1], new int[] {1}, null));
        assertMessage("byte data needs dtype quint8 or qint8, got qint32",
                () -> QTensor.of(new byte[1], new int[] {1}, QParams.perTensor(1, 0, DType.QINT32)));
        assertMessage("int data needs dtype qint32, got quint8", () -> QTensor.ofInts(new int[1], new int[] {1}, qp));
        assertMessage("float tensor: shape [4] holds 4 elements but the data has 3", () -> FloatTensor.of(new float[3], 4));
    }

    @Test
    void tensorPerChannelAxisMustExistAndMatch() {
        QParams.PerChannel three = QParams.perChannel(new double[] {1, 1, 1}, new int[] {0, 0, 0}, 2, DType.QINT8);
        assertMessage("per-channel axis 2 is out of range for shape [3, 2]", () -> QTensor.of(new byte[6], new int[] {3, 2}, three));
        QParams.PerChannel axis0 = QParams.perChannel(new double[] {1, 1, 1}, new int[] {0, 0, 0}, 0, DType.QINT8);
        assertMessage("have 3 channels but shape [2, 3] has 2 along axis 0", () -> QTensor.of(new byte[6], new int[] {2, 3}, axis0));
        QTensor t = QTensor.of(new byte[6], new int[] {3, 2}, axis0);
        assertEquals(3, t.dim(0));
    }

    @Test
    void tensorsReadTheirDType() {
        QTensor u = QTensor.of(new byte[] {(byte) 200, -1}, new int[] {2}, QParams.perTensor(1, 0, DType.QUINT8));
        assertEquals(200, u.intAt(0));
        assertEquals(255, u.intAt(1));
        QTensor s = QTensor.of(new byte[] {(byte) 200, -1}, new int[] {2}, QParams.perTensor(1, 0, DType.QINT8));
        assertEquals(-56, s.intAt(0));
        assertThrows(IllegalStateException.class, s::ints);
        assertEquals(DType.QINT8, DType.parse("torch.qint8"));
        assertMessage("unknown quantized dtype 'int8'", () -> DType.parse("int8"));
    }
}
