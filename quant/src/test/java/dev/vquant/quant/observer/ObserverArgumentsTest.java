package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QParamsCalculator;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Observer arguments: PyTorch 1.13's defaults, its validation (with its messages), the factory
 * semantics of {@code with_args}, the behaviour before any data, and clear errors for inputs
 * PyTorch would silently record. Expected numbers marked "PyTorch" were printed by torch 1.13.
 */
class ObserverArgumentsTest {

    private static FloatTensor t(float... v) {
        return FloatTensor.of(v, v.length);
    }

    @Test
    void defaultsArePyTorchs() {
        MinMaxObserver m = MinMaxObserver.builder().build();
        assertEquals(DType.QUINT8, m.dtype());
        assertEquals(QScheme.PER_TENSOR_AFFINE, m.qscheme());
        assertFalse(m.reduceRange());
        assertEquals(0, m.quantMin());
        assertEquals(255, m.quantMax());
        assertFalse(m.hasCustomizedQRange());
        assertEquals(QParamsCalculator.EPS, m.eps());
        assertEquals(Float.POSITIVE_INFINITY, m.minVal());
        assertEquals(Float.NEGATIVE_INFINITY, m.maxVal());
        assertEquals(0.01f, MovingAverageMinMaxObserver.builder().build().averagingConstant());
        PerChannelMinMaxObserver p = PerChannelMinMaxObserver.builder().build();
        assertEquals(QScheme.PER_CHANNEL_AFFINE, p.qscheme());
        assertEquals(0, p.chAxis());
        assertEquals(0, p.minVal().length);
        MovingAveragePerChannelMinMaxObserver mp = MovingAveragePerChannelMinMaxObserver.builder().build();
        assertEquals(0.01f, mp.averagingConstant());
        assertEquals(QScheme.PER_CHANNEL_AFFINE, mp.qscheme());
        HistogramObserver h = HistogramObserver.builder().build();
        assertEquals(2048, h.bins());
        assertEquals(128, h.upsampleRate());
        assertEquals(2048, h.histogram().length);
        MinMaxObserver reduced = MinMaxObserver.builder().dtype(DType.QINT8).reduceRange(true).build();
        assertEquals(-64, reduced.quantMin());
        assertEquals(63, reduced.quantMax());
    }

    @Test
    void nothingObservedGivesPyTorchsDefault() {
        // PyTorch 1.13: (tensor([1.]), tensor([0])) with a warning, for every observer
        for (Observer o : new Observer[] {MinMaxObserver.builder().build(), MovingAverageMinMaxObserver.builder().build(),
                HistogramObserver.builder().dtype(DType.QINT8).build()}) {
            QParams qp = o.calculateQParams();
            assertEquals(1.0, qp.scale(0), o.toString());
            assertEquals(0, qp.zeroPoint(0), o.toString());
            assertFalse(qp.isPerChannel());
        }
        QParams.PerChannel pc = PerChannelMinMaxObserver.builder().chAxis(1).build().calculateQParams();
        assertEquals(1, pc.count());
        assertEquals(1.0, pc.scale(0));
        assertEquals(0, pc.zeroPoint(0));
        assertEquals(1, pc.axis());
        // an empty tensor is not an observation
        MinMaxObserver m = MinMaxObserver.builder().build();
        FloatTensor empty = FloatTensor.of(new float[0], 0, 3);
        assertSame(empty, m.forward(empty));
        assertEquals(Float.POSITIVE_INFINITY, m.minVal());
        HistogramObserver h = HistogramObserver.builder().build();
        h.forward(empty);
        assertEquals(1.0, h.calculateQParams().scale());
    }

    @Test
    void qschemeAndReduceRangeAreValidatedAsInPyTorch() {
        IllegalArgumentException perChannel = assertThrows(IllegalArgumentException.class,
                () -> MinMaxObserver.builder().qscheme(QScheme.PER_CHANNEL_AFFINE).build());
        assertTrue(perChannel.getMessage().contains("MinMaxObserver's qscheme only supports per_tensor_symmetric"),
                perChannel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HistogramObserver.builder().qscheme(QScheme.PER_CHANNEL_SYMMETRIC).build());
        assertThrows(IllegalArgumentException.class, () -> MovingAverageMinMaxObserver.builder().qscheme(QScheme.PER_CHANNEL_AFFINE).build());
        IllegalArgumentException perTensor = assertThrows(IllegalArgumentException.class,
                () -> PerChannelMinMaxObserver.builder().qscheme(QScheme.PER_TENSOR_AFFINE).build());
        assertTrue(perTensor.getMessage().contains("per_channel"), perTensor.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MovingAveragePerChannelMinMaxObserver.builder().qscheme(QScheme.PER_TENSOR_SYMMETRIC).build());
        IllegalArgumentException symmetric = assertThrows(IllegalArgumentException.class,
                () -> MinMaxObserver.builder().qscheme(QScheme.PER_TENSOR_SYMMETRIC).reduceRange(true).build());
        assertTrue(symmetric.getMessage().contains("cannot reduce range for symmetric quantization for quint8"), symmetric.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PerChannelMinMaxObserver.builder().qscheme(QScheme.PER_CHANNEL_SYMMETRIC).reduceRange(true).build());
        // PyTorch's HistogramObserver does not refuse it: range 0..127, zero point 128
        HistogramObserver h = HistogramObserver.builder().qscheme(QScheme.PER_TENSOR_SYMMETRIC).reduceRange(true).build();
        assertEquals(127, h.quantMax());
        assertThrows(IllegalArgumentException.class, () -> MinMaxObserver.builder().dtype(null).build());
        assertThrows(IllegalArgumentException.class, () -> MinMaxObserver.builder().qscheme(null).build());
    }

    @Test
    void customRangesFollowPyTorch() {
        // PyTorch 1.13: quant_min=0, quant_max=15 on [-1, 2]: scale bits 1045220557, zero point 5
        MinMaxObserver affine = MinMaxObserver.builder().quantMin(0).quantMax(15).build();
        affine.forward(t(-1f, 2f));
        assertTrue(affine.hasCustomizedQRange());
        assertEquals(1045220557, Float.floatToIntBits((float) affine.calculateQParams().scale()));
        assertEquals(5, affine.calculateQParams().zeroPoint());
        // symmetric quint8 with a custom range: zero point (qmin + qmax) // 2 = 7, scale bits 1049135241
        MinMaxObserver symmetric = MinMaxObserver.builder().qscheme(QScheme.PER_TENSOR_SYMMETRIC).quantMin(0).quantMax(15).build();
        symmetric.forward(t(-1f, 2f));
        assertEquals(7, symmetric.calculateQParams().zeroPoint());
        assertEquals(1049135241, Float.floatToIntBits((float) symmetric.calculateQParams().scale()));
        // reduce_range halves a custom range (floor division), as calculate_qmin_qmax does
        MinMaxObserver halved = MinMaxObserver.builder().quantMin(0).quantMax(15).reduceRange(true).build();
        assertEquals(0, halved.quantMin());
        assertEquals(7, halved.quantMax());
        MinMaxObserver signed = MinMaxObserver.builder().dtype(DType.QINT8).quantMin(-7).quantMax(7).reduceRange(true).build();
        assertEquals(-4, signed.quantMin());
        assertEquals(3, signed.quantMax());
        // PyTorch's messages
        assertMessage("must include 0", () -> MinMaxObserver.builder().quantMin(1).quantMax(15).build());
        assertMessage("must include 0", () -> MinMaxObserver.builder().quantMin(5).quantMax(0).build());
        assertMessage("strictly less than qmax", () -> MinMaxObserver.builder().quantMin(0).quantMax(0).build());
        assertMessage("maximum bit range (=256)", () -> MinMaxObserver.builder().dtype(DType.QINT8).quantMin(-200).quantMax(100).build());
        // stricter than PyTorch: the range must fit the dtype, and both ends must be given
        assertMessage("must lie inside quint8", () -> MinMaxObserver.builder().quantMin(0).quantMax(300).build());
        assertMessage("given together", () -> MinMaxObserver.builder().quantMax(100).build());
    }

    @Test
    void epsBoundsTheScale() {
        // PyTorch 1.13: MinMaxObserver(eps=0.5) on [0, 1] gives scale 0.5
        MinMaxObserver m = MinMaxObserver.builder().eps(0.5f).build();
        m.forward(t(0f, 1f));
        assertEquals(0.5, m.calculateQParams().scale());
        assertMessage("eps must be finite and > 0", () -> MinMaxObserver.builder().eps(0f).build());
        assertMessage("eps must be finite and > 0", () -> MinMaxObserver.builder().eps(Float.NaN).build());
    }

    @Test
    void otherArgumentsAreChecked() {
        assertMessage("averaging_constant must be in [0, 1]", () -> MovingAverageMinMaxObserver.builder().averagingConstant(1.5).build());
        assertMessage("averaging_constant must be in [0, 1]",
                () -> MovingAveragePerChannelMinMaxObserver.builder().averagingConstant(Double.NaN).build());
        assertMessage("ch_axis must be >= 0", () -> PerChannelMinMaxObserver.builder().chAxis(-1).build());
        assertMessage("bins must be >= 1", () -> HistogramObserver.builder().bins(0).build());
        assertMessage("upsample_rate must be >= 1", () -> HistogramObserver.builder().upsampleRate(0).build());
    }

    @Test
    void badInputsAreNamed() {
        MinMaxObserver m = MinMaxObserver.builder().build();
        assertMessage("must not be null", () -> m.forward(null));
        assertMessage("element [1, 0] of FloatTensor[2, 2] is NaN",
                () -> m.forward(FloatTensor.of(new float[] {0f, 1f, Float.NaN, 2f}, 2, 2)));
        assertMessage("is Infinity", () -> HistogramObserver.builder().build().forward(t(1f, Float.POSITIVE_INFINITY)));
        assertEquals(Float.POSITIVE_INFINITY, m.minVal(), "a refused batch records nothing");
        PerChannelMinMaxObserver p = PerChannelMinMaxObserver.builder().chAxis(2).build();
        assertMessage("ch_axis 2 is out of range for a tensor of shape [3, 4]", () -> p.forward(FloatTensor.of(new float[12], 3, 4)));
        PerChannelMinMaxObserver q = PerChannelMinMaxObserver.builder().build();
        q.forward(FloatTensor.of(new float[12], 3, 4));
        assertMessage("saw 3 channels along ch_axis 0 before, now 4", () -> q.forward(FloatTensor.of(new float[12], 4, 3)));
        assertMessage("-Infinity", () -> q.forward(FloatTensor.of(new float[] {0, 0, 0, Float.NEGATIVE_INFINITY}, 4)));
    }

    @Test
    void movingAveragePerChannelMatchesPyTorch() {
        // PyTorch 1.13: MovingAveragePerChannelMinMaxObserver(averaging_constant=0.3, ch_axis=1,
        // dtype=qint8, qscheme=per_channel_symmetric) fed two [2, 3] batches
        MovingAveragePerChannelMinMaxObserver o = MovingAveragePerChannelMinMaxObserver.builder().averagingConstant(0.3).chAxis(1)
                .dtype(DType.QINT8).qscheme(QScheme.PER_CHANNEL_SYMMETRIC).build();
        o.forward(FloatTensor.of(new float[] {0.5f, -1.25f, 3.0f, 2.0f, 0.75f, -0.1f}, 2, 3));
        o.forward(FloatTensor.of(new float[] {1.7f, -3.3f, 0.2f, -0.6f, 2.2f, 0.9f}, 2, 3));
        assertArrayEquals(new int[] {1043207290, -1074874286, -1138501880}, bits(o.minVal()));
        assertArrayEquals(new int[] {1072986849, 1066905109, 1075293716}, bits(o.maxVal()));
        QParams.PerChannel qp = o.calculateQParams();
        assertArrayEquals(new int[] {1014329425, 1013950458, 1016612442}, bits(qp.floatScales()));
        assertArrayEquals(new int[] {0, 0, 0}, qp.zeroPoints());
        assertEquals(1, qp.axis());
    }

    @Test
    void factoriesMakeFreshObserversWithFrozenArguments() {
        MinMaxObserver.Builder b = MinMaxObserver.builder().dtype(DType.QINT8).qscheme(QScheme.PER_TENSOR_SYMMETRIC);
        ObserverFactory f = b.factory();
        b.dtype(DType.QUINT8).qscheme(QScheme.PER_TENSOR_AFFINE); // later changes do not reach f
        Observer first = f.get();
        Observer second = f.get();
        assertNotSame(first, second);
        first.forward(t(-3f, 5f));
        assertEquals(Float.POSITIVE_INFINITY, ((MinMaxObserver) second).minVal(), "observers share no state");
        assertEquals(DType.QINT8, ((MinMaxObserver) second).dtype());
        assertEquals(QScheme.PER_TENSOR_SYMMETRIC, ((MinMaxObserver) second).qscheme());
        // arguments are checked when the factory is made, not at its first use
        assertThrows(IllegalArgumentException.class, () -> HistogramObserver.builder().bins(0).factory());
        Supplier<Observer> asSupplier = HistogramObserver.builder().factory();
        assertTrue(asSupplier.get() instanceof HistogramObserver);
        ObserverFactory adapted = ObserverFactory.of(() -> PerChannelMinMaxObserver.builder().build());
        assertNotSame(adapted.get(), adapted.get());
        assertThrows(IllegalStateException.class, () -> ObserverFactory.of(() -> null).get());
        assertThrows(IllegalArgumentException.class, () -> ObserverFactory.of(null));
    }

    @Test
    void placeholderCarriesDtypesAndRefusesQParams() {
        PlaceholderObserver floatDefault = PlaceholderObserver.builder().build();
        assertTrue(floatDefault.dtype().isEmpty());
        assertTrue(floatDefault.computeDtype().isEmpty());
        PlaceholderObserver dynamic = (PlaceholderObserver) PlaceholderObserver.builder().dtype(DType.QUINT8)
                .computeDtype(DType.QUINT8).factory().get();
        assertEquals(DType.QUINT8, dynamic.dtype().orElseThrow());
        assertEquals(DType.QUINT8, dynamic.computeDtype().orElseThrow());
        FloatTensor x = t(1f, 2f);
        assertSame(x, dynamic.forward(x));
        IllegalStateException e = assertThrows(IllegalStateException.class, dynamic::calculateQParams);
        assertTrue(e.getMessage().contains("should not be called for PlaceholderObserver"));
        assertThrows(IllegalArgumentException.class, () -> dynamic.forward(null));
    }

    @Test
    void qint32Observers() {
        // PyTorch 1.13: MinMaxObserver(dtype=torch.qint32) on [-1, 1]: full range even with
        // reduce_range, scale clamped to eps, zero point -2139095040
        MinMaxObserver m = MinMaxObserver.builder().dtype(DType.QINT32).reduceRange(true).build();
        m.forward(t(-1f, 1f));
        assertEquals(Integer.MIN_VALUE, m.quantMin());
        assertEquals(0x1p-23, m.calculateQParams().scale());
        assertEquals(-2139095040, m.calculateQParams().zeroPoint());
        HistogramObserver h = HistogramObserver.builder().dtype(DType.QINT32).qscheme(QScheme.PER_TENSOR_SYMMETRIC).build();
        h.forward(t(-1f, 0.5f, 2f));
        assertEquals(0, h.calculateQParams().zeroPoint());
    }

    @Test
    void qschemeNames() {
        for (QScheme q : QScheme.values()) {
            assertEquals(q, QScheme.parse(q.toString()));
            assertEquals(q, QScheme.parse("torch." + q));
        }
        assertEquals("per_channel_symmetric", QScheme.PER_CHANNEL_SYMMETRIC.toString());
        assertMessage("unknown qscheme 'per_channel_affine_float_qparams'", () -> QScheme.parse("per_channel_affine_float_qparams"));
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToIntBits(v[i]);
        }
        return b;
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
