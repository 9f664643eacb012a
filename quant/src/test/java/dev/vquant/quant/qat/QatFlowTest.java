package dev.vquant.quant.qat;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.mnist.MnistCnn;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.observer.MinMaxObserver;
import dev.vquant.quant.observer.MovingAverageMinMaxObserver;
import dev.vquant.engine.QScheme;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QAT workflow on vquant's own forward (no PyTorch state): prepareQat, training-mode forwards,
 * frozen BN and observers, eval, convert; state dicts round-trip; copies are independent; bad
 * arguments fail with messages naming the problem; fake quantization's invariants hold for any
 * scale, zero point and input.
 */
class QatFlowTest {

    private static Tensor batch(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return Tensor.of(x, n, 1, 28, 28);
    }

    private static Module preparedMicro(String qc) {
        MnistCnn m = MnistCnn.cnnMicro();
        m.train();
        m.fuseModel();
        m.setQConfig(QConfig.defaultQatFor(qc));
        return Quantize.prepareQat(m);
    }

    @Test
    void trainFreezeEvalConvertRunsAndLeavesTheOriginalUntouched() {
        MnistCnn original = MnistCnn.cnnMicro();
        original.train();
        original.fuseModel();
        original.setQConfig(QConfig.defaultQatFor("qnnpack"));
        Map<String, Tensor> before = original.stateDict();
        Module prepared = Quantize.prepareQat(original);
        assertEquals(before.keySet(), original.stateDict().keySet(), "prepareQat works on a copy");
        for (int step = 0; step < 3; step++) {
            prepared.forward(batch(step, 8));
        }
        var stem = (dev.vquant.quant.nn.intrinsic.qat.ConvBn2d) prepared.getSubmodule("stem1.0");
        assertEquals(3f, stem.bn().numBatchesTracked().data()[0], "BN statistics tracked in training");
        QatControls.freezeBnStats(prepared);
        QatControls.disableObserver(prepared);
        float[] mean = stem.bn().runningMean().data().clone();
        float[] scale = stem.weightFakeQuant().scale();
        prepared.forward(batch(10, 8));
        assertArrayEquals(mean, stem.bn().runningMean().data(), "frozen BN keeps its statistics");
        assertArrayEquals(scale, stem.weightFakeQuant().scale(), "disabled observers keep their qparams");
        prepared.eval();
        Tensor fakeQuantized = prepared.forward(batch(11, 4));
        Module int8 = Quantize.convert(prepared);
        Tensor out = int8.forward(batch(11, 4));
        assertArrayEquals(fakeQuantized.shape(), out.shape());
        assertInstanceOf(dev.vquant.quant.nn.quantized.ConvReLU2d.class, int8.getSubmodule("stem1.0"));
        assertInstanceOf(dev.vquant.quant.nn.quantized.Linear.class, int8.getSubmodule("fc"));
    }

    @Test
    void stateDictsRoundTripAndCopiesAreIndependent() {
        Module a = preparedMicro("fbgemm");
        a.forward(batch(1, 4));
        Module b = preparedMicro("fbgemm");
        b.loadStateDict(a.stateDict(), true);
        Map<String, Tensor> sa = a.stateDict();
        Map<String, Tensor> sb = b.stateDict();
        assertEquals(sa.keySet(), sb.keySet());
        for (String k : sa.keySet()) {
            assertArrayEquals(sa.get(k).toFloatArray(), sb.get(k).toFloatArray(), k);
        }
        Module copy = a.deepCopy();
        copy.forward(batch(2, 4));
        float[] minA = a.stateDict().get("quant.activation_post_process.activation_post_process.min_val").toFloatArray();
        float[] minCopy = copy.stateDict().get("quant.activation_post_process.activation_post_process.min_val").toFloatArray();
        assertArrayEquals(sb.get("quant.activation_post_process.activation_post_process.min_val").toFloatArray(), minA,
                "the original's observer did not see the copy's batch");
        assertFalse(minA[0] == minCopy[0] && a.stateDict().get("stem1.0.bn.running_mean").toFloatArray()[0]
                == copy.stateDict().get("stem1.0.bn.running_mean").toFloatArray()[0], "the copy moved on");
    }

    @Test
    void badArgumentsAreRefusedWithTheirReason() {
        MnistCnn m = MnistCnn.cnnMicro();
        m.train();
        m.fuseModel();
        m.setQConfig(QConfig.defaultFor("qnnpack"));
        var e = assertThrows(IllegalArgumentException.class, () -> Quantize.prepareQat(m));
        assertTrue(e.getMessage().contains("defaultQatFor"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Quantize.prepareQat(MnistCnn.cnnMicro()))
                .getMessage().contains("no module has a qconfig"));
        assertThrows(IllegalArgumentException.class, () -> FakeQuantization.perTensor(new float[1], 0f, 0, 0, 255));
        assertThrows(IllegalArgumentException.class, () -> FakeQuantization.perTensor(new float[1], 1f, 0, 5, 4));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FakeQuantization.perChannel(new float[6], new int[]{2, 3}, 0,
                new float[]{1f}, new int[]{0}, -128, 127)).getMessage().contains("1 scales"));
        assertThrows(IllegalArgumentException.class, () -> FakeQuantization.perChannel(new float[6], new int[]{2, 3}, 2,
                new float[]{1f, 1f}, new int[]{0, 0}, -128, 127));
        assertThrows(IllegalArgumentException.class, () -> FakeQuantization.perTensorGradient(new float[2], new float[3], 1f, 0, 0, 255));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FusedMovingAvgObsFakeQuantize(MinMaxObserver.builder().build()))
                .getMessage().contains("MovingAverageMinMaxObserver"));
        FusedMovingAvgObsFakeQuantize fused = new FusedMovingAvgObsFakeQuantize(MovingAverageMinMaxObserver.builder().build());
        fused.disableObserver();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fused.forward(FloatTensor.of(new float[]{1f}, 1)))
                .getMessage().contains("observed range"));
        Map<String, Tensor> state = new HashMap<>(fused.stateDict());
        state.put("observer_enabled", Tensor.of(new float[]{2f}, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fused.loadStateDict(state, true))
                .getMessage().contains("observer_enabled"));
    }

    /** Fake-quantized values lie on the grid inside the range, and fake quantization is idempotent. */
    @Property(tries = 200)
    void fakeQuantizedValuesLieOnTheGridAndAreFixedPoints(@ForAll @FloatRange(min = 1e-4f, max = 10f) @Scale(6) float scale,
                                                           @ForAll @IntRange(min = 0, max = 255) int zeroPoint,
                                                           @ForAll @FloatRange(min = -1e4f, max = 1e4f) float a,
                                                           @ForAll @FloatRange(min = -1e4f, max = 1e4f) float b) {
        float[] x = {a, b, 0f, a * 0.5f};
        float[] y = FakeQuantization.perTensor(x, scale, zeroPoint, 0, 255);
        assertArrayEquals(y, FakeQuantization.perTensor(y, scale, zeroPoint, 0, 255), "idempotent for scale " + scale + " zp " + zeroPoint);
        for (float v : y) {
            assertTrue(v >= (0 - zeroPoint) * scale && v <= (255 - zeroPoint) * scale, v + " outside the range");
        }
        assertEquals(0f, y[2], "zero is exact");
        float[] dx = FakeQuantization.perTensorGradient(x, new float[]{1f, 1f, 1f, 1f}, scale, zeroPoint, 0, 255);
        for (int i = 0; i < x.length; i++) {
            boolean clipped = Math.abs(y[i] - x[i]) > scale;
            assertTrue(!clipped || dx[i] == 0f, "gradient zero where clipped: x " + x[i] + " y " + y[i]);
        }
    }

    @Test
    void perChannelFakeQuantizeUsesItsAxis() {
        FakeQuantize fq = new FakeQuantize(dev.vquant.quant.observer.MovingAveragePerChannelMinMaxObserver.builder()
                .dtype(DType.QINT8).qscheme(QScheme.PER_CHANNEL_SYMMETRIC).chAxis(1).build());
        fq.forward(FloatTensor.of(new float[]{1f, 10f, -1f, -10f}, 2, 2));
        assertEquals(List.of(2, 2), List.of(fq.scale().length, fq.zeroPoint().length));
        assertTrue(fq.scale()[1] > 9 * fq.scale()[0], "channel 1 (along axis 1) has the larger range");
    }
}
