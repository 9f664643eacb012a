package dev.vquant.ops.elementwise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.convert.Layout;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.GoldenFiles;
import dev.vquant.ops.testing.Oracles;
import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantized BatchNorm2d / BNReLU2d: bit for bit PyTorch's {@code quantized::batch_norm2d(_relu)}
 * on every engine (qbatch_norm.json, written by tools/golden/qbatch_norm.py; its fma_* cases fail
 * an unfused multiply-add), the table path equal to the element-by-element twin, within one step of
 * float64 batch norm, and bad arguments named.
 */
class QBatchNorm2dTest {

    @TestFactory
    List<DynamicNode> goldenOnEveryEngine() {
        JsonNode root = GoldenFiles.load("qbatch_norm");
        return Engines.perEngine(e -> {
            List<DynamicNode> tests = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    QTensor x = GoldenFiles.activation(c.get("input"), true);
                    int[] s = GoldenFiles.ints(c.get("input").get("shape"));
                    QBatchNorm2d op = QBatchNorm2d.builder(s[1]).weight(GoldenFiles.floats(c.get("weight")))
                            .bias(GoldenFiles.floats(c.get("bias"))).runningMean(GoldenFiles.floats(c.get("running_mean")))
                            .runningVar(GoldenFiles.floats(c.get("running_var"))).eps(c.get("eps").asDouble())
                            .output(c.get("output_scale").asDouble(), c.get("output_zero_point").asInt())
                            .relu(c.get("relu").asBoolean()).threads(2).build();
                    byte[] want = Layout.nchwToNhwc(GoldenFiles.bytes(GoldenFiles.ints(c.get("output_int"))), s[0], s[1], s[2], s[3]);
                    QTensor y = op.forward(x, e);
                    assertArrayEquals(want, y.bytes());
                    assertArrayEquals(want, op.reference(x).bytes());
                }));
            }
            return DynamicContainer.dynamicContainer(e.name(), tests);
        });
    }

    @Property(tries = 60)
    void tablePathEqualsTwinAndFloat64WithinOneStep(@ForAll @IntRange(min = 1, max = 3) int n,
                                                    @ForAll @IntRange(min = 1, max = 40) int h,
                                                    @ForAll @IntRange(min = 1, max = 12) int w,
                                                    @ForAll @IntRange(min = 1, max = 70) int channels,
                                                    @ForAll boolean relu, @ForAll @IntRange(min = 0, max = 4) int threads,
                                                    @ForAll long seed) {
        Rand r = new Rand(seed);
        QTensor x = r.activation(new int[]{n, h, w, channels});
        float[] weight = r.floats(channels, -2f, 2f);
        float[] bias = r.floats(channels, -1f, 1f);
        float[] mean = r.floats(channels, -1f, 1f);
        float[] var = r.floats(channels, 0f, 3f);
        double eps = r.nextBoolean() ? 1e-5 : 1e-3;
        double outScale = r.scale(0.005, 0.1);
        int outZp = r.nextInt(0, 255);
        QBatchNorm2d op = QBatchNorm2d.builder(channels).weight(weight).bias(bias).runningMean(mean).runningVar(var)
                .eps(eps).output(outScale, outZp).relu(relu).threads(threads).build();
        QTensor twin = op.reference(x);
        for (var e : Engines.installed()) {
            assertArrayEquals(twin.bytes(), op.forward(x, e).bytes(), "engine " + e.name() + ", seed " + seed);
        }
        for (int i = 0; i < x.numel(); i++) {
            int c = i % channels;
            double v = (Oracles.dq(x, i) - mean[c]) / Math.sqrt(var[c] + eps) * weight[c] + bias[c];
            int want = Oracles.quantizeReal(v / outScale, outZp, relu ? outZp : 0);
            assertTrue(Math.abs(twin.intAt(i) - want) <= 1, "element " + i + ": " + twin.intAt(i) + " vs " + want + ", seed " + seed);
        }
        assertEquals(QParams.perTensor(outScale, outZp, DType.QUINT8), twin.qparams());
    }

    @Test
    void badArgumentsAreNamed() {
        float[] one = {1f};
        var ok = QBatchNorm2d.builder(1).runningMean(one).runningVar(one).output(0.1, 0);
        QTensor x = QTensor.of(new byte[4], new int[]{1, 2, 2, 1}, QParams.perTensor(0.1, 0, DType.QUINT8));
        assertThrows(IllegalArgumentException.class, () -> QBatchNorm2d.builder(0).build());
        assertThrows(IllegalArgumentException.class, () -> QBatchNorm2d.builder(2).runningMean(one).runningVar(one).output(0.1, 0).build());
        assertThrows(IllegalArgumentException.class, () -> QBatchNorm2d.builder(1).runningMean(one).output(0.1, 0).build());
        assertThrows(IllegalArgumentException.class, () -> QBatchNorm2d.builder(1).runningMean(one).runningVar(new float[]{-1f}).output(0.1, 0).build());
        assertThrows(IllegalArgumentException.class, () -> QBatchNorm2d.builder(1).runningMean(new float[]{Float.NaN}).runningVar(one).output(0.1, 0).build());
        assertThrows(IllegalArgumentException.class, () -> QBatchNorm2d.builder(1).runningMean(one).runningVar(one).build());
        assertThrows(IllegalArgumentException.class, () -> QBatchNorm2d.builder(1).runningMean(one).runningVar(one).eps(0).output(0.1, 0).build());
        assertThrows(IllegalArgumentException.class, () -> QBatchNorm2d.builder(1).runningMean(one).runningVar(one).output(0.1, 256).build());
        QBatchNorm2d op = ok.build();
        var e = Engines.reference();
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> op.forward(QTensor.of(new byte[4], new int[]{4, 1}, QParams.perTensor(0.1, 0, DType.QUINT8)), e));
        assertTrue(rank.getMessage().contains("BatchNorm2d"), rank.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> op.forward(QTensor.of(new byte[4], new int[]{1, 1, 2, 2}, QParams.perTensor(0.1, 0, DType.QUINT8)), e));
        assertThrows(IllegalArgumentException.class, () -> op.forward(null, e));
        assertThrows(IllegalArgumentException.class, () -> op.forward(x, null));
        assertThrows(IllegalArgumentException.class,
                () -> op.forward(QTensor.of(new byte[4], new int[]{1, 2, 2, 1}, QParams.perTensor(0.1, 0, DType.QINT8)), e));
    }
}
