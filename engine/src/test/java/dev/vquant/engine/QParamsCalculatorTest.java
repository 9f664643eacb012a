package dev.vquant.engine;

import dev.vquant.engine.QParamsCalculator.Scheme;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link QParamsCalculator} beyond the golden cases (which cover quint8 affine and qint8
 * symmetric): the other scheme/dtype pairs, custom ranges, PyTorch's edge behaviour, and
 * properties every affine result must have.
 */
class QParamsCalculatorTest {

    @Test
    void symmetricQuint8UsesZeroPoint128EvenWithReduceRange() {
        // PyTorch: zero point 128 unless the range is customized, even when reduce_range gives 0..127
        assertEquals(128, QParamsCalculator.of(DType.QUINT8, Scheme.SYMMETRIC, false).perTensor(-1f, 2f).zeroPoint());
        assertEquals(128, QParamsCalculator.of(DType.QUINT8, Scheme.SYMMETRIC, true).perTensor(-1f, 2f).zeroPoint());
        assertEquals(63, QParamsCalculator.withRange(DType.QUINT8, Scheme.SYMMETRIC, 0, 127).perTensor(-1f, 2f).zeroPoint());
        assertEquals((float) (2f / 127.5f), (float) QParamsCalculator.of(DType.QUINT8, Scheme.SYMMETRIC, false).perTensor(-1f, 2f).scale());
    }

    @Test
    void affineQint8() {
        QParams.PerTensor qp = QParamsCalculator.of(DType.QINT8, Scheme.AFFINE, false).perTensor(-1f, 3f);
        float scale = 4f / 255f;
        assertEquals(scale, (float) qp.scale());
        assertEquals(-128 - (int) Math.rint(-1f / scale), qp.zeroPoint());
        QParams.PerTensor reduced = QParamsCalculator.of(DType.QINT8, Scheme.AFFINE, true).perTensor(-1f, 3f);
        assertEquals(4f / 127f, (float) reduced.scale());
        assertTrue(reduced.zeroPoint() >= -64 && reduced.zeroPoint() <= 63);
    }

    @Test
    void edgeBehaviourMatchesPyTorch() {
        QParamsCalculator c = QParamsCalculator.of(DType.QUINT8, Scheme.AFFINE, false);
        QParams.PerTensor empty = c.perTensor(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertEquals(1.0, empty.scale());
        assertEquals(0, empty.zeroPoint());
        QParams.PerTensor zeros = c.perTensor(0f, 0f);
        assertEquals(QParamsCalculator.EPS, (float) zeros.scale());
        assertEquals(0x1p-23f, Math.ulp(1.0f));
        QParams.PerTensor positive = c.perTensor(2f, 5f); // widened to [0, 5]
        assertEquals(5f / 255f, (float) positive.scale());
        assertEquals(0, positive.zeroPoint());
        QParams.PerTensor negative = c.perTensor(-5f, -2f); // widened to [-5, 0]
        assertEquals(255, negative.zeroPoint());
        IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class, () -> c.perTensor(1f, 0f));
        assertTrue(inverted.getMessage().contains("min 1.0 > max 0.0"), inverted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.perTensor(Float.NaN, 1f));
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> c.perTensor(-Float.MAX_VALUE, Float.MAX_VALUE));
        assertTrue(wide.getMessage().contains("too wide"), wide.getMessage());
        IllegalArgumentException channel = assertThrows(IllegalArgumentException.class,
                () -> c.perChannel(new float[] {0f, 3f}, new float[] {1f, 2f}, 0));
        assertTrue(channel.getMessage().contains("of channel 1"), channel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QParamsCalculator.of(null, Scheme.AFFINE, false));
        assertThrows(IllegalArgumentException.class, () -> QParamsCalculator.withRange(DType.QINT8, Scheme.AFFINE, -129, 0));
    }

    @Test
    void qint32MatchesPyTorch() {
        // PyTorch 1.13, MinMaxObserver(dtype=torch.qint32): the full range even with reduce_range,
        // 2^32 levels, so small ranges clamp to eps
        for (boolean reduce : new boolean[] {false, true}) {
            QParamsCalculator affine = QParamsCalculator.of(DType.QINT32, Scheme.AFFINE, reduce);
            assertEquals(Integer.MIN_VALUE, affine.qmin());
            assertEquals(Integer.MAX_VALUE, affine.qmax());
            assertEquals(0x1p-23, affine.perTensor(-1f, 1f).scale());
            assertEquals(-2139095040, affine.perTensor(-1f, 1f).zeroPoint());
            assertEquals(-2145386496, affine.perTensor(-0.25f, 3f).zeroPoint());
            assertEquals(0, QParamsCalculator.of(DType.QINT32, Scheme.SYMMETRIC, reduce).perTensor(-0.25f, 3f).zeroPoint());
        }
        // large ranges: 2^32 levels as float32, halved for symmetric
        assertEquals(1000f / 0x1p31f, (float) QParamsCalculator.of(DType.QINT32, Scheme.SYMMETRIC, false).perTensor(-1000f, 0f).scale());
        assertEquals(1000f / 0x1p32f, (float) QParamsCalculator.of(DType.QINT32, Scheme.AFFINE, false).perTensor(-1000f, 0f).scale());
    }

    @Test
    void epsIsTheLowerBoundOfTheScale() {
        QParamsCalculator c = QParamsCalculator.of(DType.QUINT8, Scheme.AFFINE, false).withEps(0.5f);
        assertEquals(0.5, c.perTensor(0f, 1f).scale());
        assertEquals(0.5f, c.eps());
        assertEquals(1.0, c.perTensor(0f, 255f).scale(), "eps 0.5 does not bind");
        assertEquals(QParamsCalculator.EPS, QParamsCalculator.of(DType.QUINT8, Scheme.AFFINE, false).eps());
        assertThrows(IllegalArgumentException.class, () -> c.withEps(0f));
        assertThrows(IllegalArgumentException.class, () -> c.withEps(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> c.withEps(Float.POSITIVE_INFINITY));
    }

    @Property(tries = 300)
    void affineRangeMapsInsideTheQuantizedRange(@ForAll @FloatRange(min = -1000, max = 0) float min,
                                                @ForAll @FloatRange(min = 0, max = 1000) float max, @ForAll boolean reduce,
                                                @ForAll boolean signed) {
        DType dtype = signed ? DType.QINT8 : DType.QUINT8;
        QParamsCalculator c = QParamsCalculator.of(dtype, Scheme.AFFINE, reduce);
        QParams.PerTensor qp = c.perTensor(min, max);
        assertTrue(qp.zeroPoint() >= c.qmin() && qp.zeroPoint() <= c.qmax());
        float scale = (float) qp.scale();
        assertTrue(scale >= QParamsCalculator.EPS);
        // min and max quantize to within one step of the ends of the range
        double qMin = qp.zeroPoint() + Math.rint(min / scale);
        double qMax = qp.zeroPoint() + Math.rint(max / scale);
        assertTrue(qMin >= c.qmin() - 1 && qMax <= c.qmax() + 1, () -> qMin + ".." + qMax);
        // real zero is exactly representable: the zero point
        assertEquals(0f, (float) (qp.zeroPoint() - qp.zeroPoint()) * scale);
    }

    @Test
    void float32ArithmeticMattersSomewhere() {
        // a witness that PyTorch's float32 order (round max - min to float, then divide) differs
        // from the same formula in double, so the golden comparison is sensitive to it
        QParamsCalculator c = QParamsCalculator.of(DType.QUINT8, Scheme.AFFINE, false);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(42);
        int differences = 0;
        for (int i = 0; i < 100_000 && differences == 0; i++) {
            float min = (float) -rng.nextDouble(0.001, 10);
            float max = (float) rng.nextDouble(10, 1000);
            float inDouble = (float) (((double) max - min) / 255.0);
            if (inDouble != (float) c.perTensor(min, max).scale()) {
                differences++;
            }
        }
        assertTrue(differences > 0);
    }
}
