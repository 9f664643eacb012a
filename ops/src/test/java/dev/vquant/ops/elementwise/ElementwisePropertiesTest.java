package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Oracles;
import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each quantized elementwise operator equals dequantize -> float64 function -> quantize within one
 * step (the documented bound: the operators round in float32 or fixed point as PyTorch's engines
 * do; add, Hardswish and Sigmoid on every engine), exactly where the operation is integer-only
 * (ReLU, ReLU6, cat with equal qparams), and independently of threads.
 */
class ElementwisePropertiesTest {

    private static void withinOneStep(QTensor y, DoubleUnaryOperator f, QTensor x, double outScale, int outZp) {
        for (int i = 0; i < y.numel(); i++) {
            int want = Oracles.quantizeReal(f.applyAsDouble(Oracles.dq(x, i)) / outScale, outZp, 0);
            assertTrue(Math.abs(y.intAt(i) - want) <= 1, "element " + i + ": " + y.intAt(i) + " vs " + want);
        }
    }

    @Property(tries = 30)
    void unary(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
        Rand r = new Rand(seed);
        QTensor x = r.activation(new int[]{n});
        int zp = x.qparams().zeroPoint(0);
        double s = x.qparams().scale(0);
        QTensor relu = new QRelu(2).forward(x, Engines.reference());
        for (int i = 0; i < n; i++) {
            assertEquals(Math.max(x.intAt(i), zp), relu.intAt(i));
        }
        QTensor relu6 = new QRelu6(2).forward(x, Engines.reference());
        int six = Oracles.quantizeReal(6.0 / s, zp, 0);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.min(Math.max(x.intAt(i), zp), six), relu6.intAt(i));
        }
        double hsScale = r.scale(0.01, 0.1);
        int hsZp = r.nextInt(0, 60);
        // every engine's arithmetic (ATen's vector/scalar loops, QNNPACK's lookup tables)
        for (var e : Engines.installed()) {
            withinOneStep(QHardswish.builder().output(hsScale, hsZp).threads(2).build().forward(x, e),
                    v -> v * Math.min(Math.max(v + 3, 0), 6) / 6, x, hsScale, hsZp);
            QTensor sig = new QSigmoid(2).forward(x, e);
            assertEquals(1.0 / 256, sig.qparams().scale(0));
            withinOneStep(sig, v -> 1 / (1 + Math.exp(-v)), x, 1.0 / 256, 0);
        }
    }

    @Property(tries = 30)
    void binaryAndCat(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll boolean relu, @ForAll long seed) {
        Rand r = new Rand(seed);
        QTensor a = r.activation(new int[]{1, n});
        QTensor b = r.activation(new int[]{1, n});
        double s = r.scale(0.005, 0.2);
        int zp = r.nextInt(0, 255);
        for (var e : Engines.installed()) {
            // ATen's float add on fbgemm/reference, QNNPACK's fixed-point add on qnnpack
            QTensor sum = QAdd.builder().output(s, zp).relu(relu).threads(1).build().forward(a, b, e);
            assertArrayEquals(sum.bytes(), QAdd.builder().output(s, zp).relu(relu).threads(3).build().forward(a, b, e).bytes());
            QTensor prod = QMul.builder().output(s, zp).relu(relu).threads(2).build().forward(a, b, e);
            for (int i = 0; i < n; i++) {
                double da = Oracles.dq(a, i);
                double db = Oracles.dq(b, i);
                int lo = relu ? zp : 0;
                double add = relu ? Math.max(da + db, 0) : da + db;
                assertTrue(Math.abs(sum.intAt(i) - Oracles.quantizeReal(add / s, zp, lo)) <= 1, e.name() + " add element " + i);
                assertTrue(Math.abs(prod.intAt(i) - Oracles.quantizeReal(da * db / s, zp, lo)) <= 1, e.name() + " mul element " + i);
            }
        }
        QTensor same = QTensor.of(b.bytes(), b.shape(), a.qparams());
        QTensor cat = QCat.builder(1).output(a.qparams().scale(0), a.qparams().zeroPoint(0)).build().forward(List.of(a, same, b));
        assertArrayEquals(new int[]{1, 3 * n}, cat.shape());
        for (int i = 0; i < n; i++) {
            assertEquals(a.intAt(i), cat.intAt(i));
            assertEquals(same.intAt(i), cat.intAt(n + i));
            int want = Oracles.quantizeReal(Oracles.dq(b, i) / a.qparams().scale(0), a.qparams().zeroPoint(0), 0);
            assertTrue(Math.abs(cat.intAt(2 * n + i) - want) <= 1, "cat element " + i);
        }
    }

    @Test
    void qnnpackAddRefusesScaleRatiosOutsideItsFixedPointRangeOthersComputeThem() {
        QTensor a = QTensor.of(new byte[]{1, 2, 3}, new int[]{3}, QParams.perTensor(1.0, 0, DType.QUINT8));
        QAdd add = QAdd.builder().output(0.001, 0).threads(1).build(); // scale ratio 1000 >= 2^8
        for (var e : Engines.installed()) {
            if (e.numerics().family() == EngineNumerics.Family.QNNPACK) {
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> add.forward(a, a, e));
                assertTrue(ex.getMessage().contains("Add") && ex.getMessage().contains("[2^-14, 2^8)"), ex.getMessage());
            } else {
                assertArrayEquals(new byte[]{(byte) 255, (byte) 255, (byte) 255}, add.forward(a, a, e).bytes());
            }
        }
    }

    @Property(tries = 20)
    void catAlongNhwcChannels(@ForAll @IntRange(min = 1, max = 4) int h, @ForAll @IntRange(min = 1, max = 7) int c1,
                              @ForAll @IntRange(min = 1, max = 7) int c2, @ForAll long seed) {
        Rand r = new Rand(seed);
        QTensor a = r.activation(new int[]{2, h, 3, c1});
        QTensor b = QTensor.of(r.quint8(2 * h * 3 * c2), new int[]{2, h, 3, c2}, a.qparams());
        QTensor y = QCat.builder(3).output(a.qparams().scale(0), a.qparams().zeroPoint(0)).build().forward(List.of(a, b));
        for (int p = 0; p < 2 * h * 3; p++) {
            for (int c = 0; c < c1; c++) {
                assertEquals(a.intAt(p * c1 + c), y.intAt(p * (c1 + c2) + c));
            }
            for (int c = 0; c < c2; c++) {
                assertEquals(b.intAt(p * c2 + c), y.intAt(p * (c1 + c2) + c1 + c));
            }
        }
    }

    @Property(tries = 10)
    void quantizeDequantizeAgreeAcrossEngines(@ForAll @IntRange(min = 1, max = 70000) int n, @ForAll long seed) {
        Rand r = new Rand(seed);
        float[] x = r.floats(n, -5f, 5f);
        dev.vquant.engine.FloatTensor t = dev.vquant.engine.FloatTensor.of(x, n);
        dev.vquant.ops.convert.Quantize q = dev.vquant.ops.convert.Quantize.builder().output(0.04, 120).threads(2).build();
        QTensor ref = q.forward(t, Engines.reference());
        float[] back = new dev.vquant.ops.convert.DeQuantize(2).forward(ref, Engines.reference()).data();
        for (var e : Engines.installed()) {
            assertArrayEquals(ref.bytes(), q.forward(t, e).bytes(), e.name());
            assertArrayEquals(back, new dev.vquant.ops.convert.DeQuantize(2).forward(ref, e).data(), e.name());
        }
        assertEquals(QParams.perTensor(0.04, 120, DType.QUINT8), ref.qparams());
    }
}
