package dev.vquant.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.convert.Layout;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.GoldenFiles;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ops operators on PyTorch's golden cases, on every installed engine, against what
 * golden/NUMERICS.md assigns: static ints {@code x86} (fbgemm, reference) or {@code qnnpack_2.10}
 * (qnnpack), dynamic float bits {@code fbgemm} or {@code qnnpack_2.10}. Exact.
 */
class GoldenOpsTest {

    private static String staticKey(KernelBackend e) {
        return e.numerics().family() == EngineNumerics.Family.QNNPACK ? "qnnpack_2.10" : "x86";
    }

    private static String dynamicKey(KernelBackend e) {
        return e.numerics().family() == EngineNumerics.Family.QNNPACK ? "qnnpack_2.10" : "fbgemm";
    }

    @TestFactory
    List<DynamicNode> qlinearStatic() {
        JsonNode root = GoldenFiles.load("qlinear_static");
        return Engines.perEngine(e -> DynamicContainer.dynamicContainer(e.name(), cases(root, c -> () -> {
            for (int threads : new int[]{1, 2}) {
                QLinear op = QLinear.builder(GoldenFiles.weight(c.get("weight"))).bias(GoldenFiles.floats(c.get("bias")))
                        .output(c.get("output_scale").asDouble(), c.get("output_zero_point").asInt())
                        .relu(c.get("relu").asBoolean()).threads(threads).engine(e).build();
                QTensor y = op.forward(GoldenFiles.activation(c.get("input"), false), e);
                assertArrayEquals(GoldenFiles.ints(c.get("output_int_by_engine").get(staticKey(e))), GoldenFiles.ints(y));
            }
        })));
    }

    @TestFactory
    List<DynamicNode> qconv2dStatic() {
        JsonNode root = GoldenFiles.load("qconv2d_static");
        return Engines.perEngine(e -> DynamicContainer.dynamicContainer(e.name(), cases(root, c -> () -> {
            QTensor w = GoldenFiles.weight(c.get("weight"));
            int[] k = w.shape();
            int[] s = GoldenFiles.ints(c.get("stride"));
            int[] p = GoldenFiles.ints(c.get("padding"));
            int[] d = GoldenFiles.ints(c.get("dilation"));
            ConvGeometry g = new ConvGeometry(k[2], k[3], s[0], s[1], p[0], p[1], d[0], d[1]);
            int[] os = GoldenFiles.ints(c.get("output_shape"));
            byte[] want = Layout.nchwToNhwc(GoldenFiles.bytes(GoldenFiles.ints(c.get("output_int_by_engine").get(staticKey(e)))),
                    os[0], os[1], os[2], os[3]);
            for (int threads : new int[]{1, 2}) {
                QConv2d op = QConv2d.builder(w, g).groups(c.get("groups").asInt()).bias(GoldenFiles.floats(c.get("bias")))
                        .output(c.get("output_scale").asDouble(), c.get("output_zero_point").asInt()).threads(threads)
                        .engine(e).build();
                QTensor y = op.forward(GoldenFiles.activation(c.get("input"), true), e);
                assertArrayEquals(new int[]{os[0], os[2], os[3], os[1]}, y.shape());
                assertArrayEquals(want, y.bytes());
            }
        })));
    }

    @TestFactory
    List<DynamicNode> qlinearDynamic() {
        JsonNode root = GoldenFiles.load("qlinear_dynamic");
        return Engines.perEngine(e -> DynamicContainer.dynamicContainer(e.name(), cases(root, c -> () -> {
            int[] want = GoldenFiles.ints(c.get("output_bits_by_engine").get(dynamicKey(e)));
            for (int threads : new int[]{1, 2}) {
                DynamicQLinear op = DynamicQLinear.builder(GoldenFiles.weight(c.get("weight")))
                        .bias(GoldenFiles.floats(c.get("bias"))).reduceRange(c.get("reduce_range").asBoolean())
                        .threads(threads).engine(e).build();
                JsonNode in = c.get("input");
                FloatTensor y = op.forward(FloatTensor.of(GoldenFiles.floats(in), GoldenFiles.ints(in.get("shape"))), e);
                assertEquals(want.length, y.numel());
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], Float.floatToRawIntBits(y.data()[i]), "element " + i);
                }
            }
        })));
    }

    private interface CaseBody {
        org.junit.jupiter.api.function.Executable test(JsonNode c);
    }

    private static List<DynamicNode> cases(JsonNode root, CaseBody body) {
        List<DynamicNode> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("label").asText(), body.test(c)));
        }
        return tests;
    }
}
