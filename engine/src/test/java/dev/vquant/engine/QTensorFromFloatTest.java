package dev.vquant.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link QTensor#fromFloat}: one call gives what PyTorch's weight observers and quantize give. */
class QTensorFromFloatTest {
    private static final float[] W = {-1f, 0.5f, 0.25f, 2f, -4f, 1f};
    private static final int[] SHAPE = {2, 3};

    @Test
    void perTensorSymmetricIsMinMaxObserverThenQuantize() {
        QTensor q = QTensor.fromFloat(W, SHAPE, QScheme.PER_TENSOR_SYMMETRIC);
        // torch: MinMaxObserver(dtype=qint8, qscheme=per_tensor_symmetric): scale = 4 / 127.5, zero point 0
        QParams.PerTensor qp = (QParams.PerTensor) q.qparams();
        assertEquals(4f / 127.5f, (float) qp.scale());
        assertEquals(0, qp.zeroPoint());
        assertEquals(DType.QINT8, q.dtype());
        assertArrayEquals(new int[] {2, 3}, q.shape());
        QParams.PerTensor expected = QParamsCalculator.of(DType.QINT8, QParamsCalculator.Scheme.SYMMETRIC, false)
                .perTensor(-4f, 2f);
        assertEquals(expected, qp);
        assertArrayEquals(Quantization.quantize(FloatTensor.of(W, SHAPE), expected).bytes(), q.bytes());
    }

    @Test
    void perChannelAffineUsesEachRowsRange() {
        QTensor q = QTensor.fromFloat(W, SHAPE, QScheme.PER_CHANNEL_AFFINE);
        QParams.PerChannel pc = (QParams.PerChannel) q.qparams();
        assertEquals(0, pc.axis());
        QParams.PerChannel expected = QParamsCalculator.of(DType.QINT8, QParamsCalculator.Scheme.AFFINE, false)
                .perChannel(new float[] {-1f, -4f}, new float[] {0.5f, 2f}, 0);
        assertArrayEquals(expected.scales(), pc.scales());
        assertArrayEquals(expected.zeroPoints(), pc.zeroPoints());
        assertArrayEquals(Quantization.quantize(FloatTensor.of(W, SHAPE), expected).bytes(), q.bytes());
    }

    @Test
    void everySchemeRoundTripsWithinHalfAStep() {
        for (QScheme s : QScheme.values()) {
            QTensor q = QTensor.fromFloat(W, SHAPE, s);
            float[] back = Quantization.dequantize(q).data();
            for (int i = 0; i < W.length; i++) {
                double step = q.qparams().scale(s.isPerChannel() ? i / 3 : 0);
                assertTrue(Math.abs(back[i] - W[i]) <= step / 2 + 1e-6, s + " element " + i);
            }
        }
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> QTensor.fromFloat(new float[] {1f, Float.NaN}, new int[] {2}, QScheme.PER_TENSOR_AFFINE));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> QTensor.fromFloat(FloatTensor.of(W, SHAPE), null));
        assertTrue(none.getMessage().contains("scheme"), none.getMessage());
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                () -> QTensor.fromFloat(new float[] {1f}, new int[0], QScheme.PER_CHANNEL_SYMMETRIC));
        assertTrue(scalar.getMessage().contains("axis 0"), scalar.getMessage());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> QTensor.fromFloat(FloatTensor.of(W, SHAPE), QScheme.PER_TENSOR_AFFINE, DType.QINT32));
        assertTrue(dtype.getMessage().contains("qint32"), dtype.getMessage());
    }
}
