package dev.vquant.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Identity;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.QuantStub;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;
import dev.vquant.quant.nn.quantized.BNReLU2d;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchNorm2d left unfused and the fused BNReLU2d through prepare, calibration and convert equal
 * PyTorch's eager-mode result bit for bit on every engine (qbatch_norm_module.json, written by
 * tools/golden/qbatch_norm.py): the output qparams of the observer and the quantized module's integers.
 */
class QuantizedBatchNormTest {

    private static JsonNode golden() throws IOException {
        try (InputStream in = QuantizedBatchNormTest.class.getResourceAsStream("/golden/qbatch_norm_module.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static float[] floats(JsonNode t) {
        JsonNode b = t.get("bits");
        float[] f = new float[b.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat(b.get(i).asInt());
        }
        return f;
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    private static Tensor tensor(JsonNode t) {
        return Tensor.of(floats(t), ints(t.get("shape")));
    }

    /** Stored integers in logical NCHW order. */
    private static int[] intRepr(Tensor t) {
        QTensor q = t.contiguous().toQuantizedContiguous();
        int[] v = new int[q.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = q.intAt(i);
        }
        return v;
    }

    private static Sequential model(JsonNode c) {
        int ch = c.get("channels").asInt();
        BatchNorm2d bn = new BatchNorm2d(ch);
        Map<String, String> names = Map.of("weight", "bn.weight", "bias", "bn.bias", "running_mean", "bn.running_mean",
                "running_var", "bn.running_var");
        System.arraycopy(floats(c.get("state_dict").get(names.get("weight"))), 0, bn.weight().data(), 0, ch);
        System.arraycopy(floats(c.get("state_dict").get(names.get("bias"))), 0, bn.bias().data(), 0, ch);
        System.arraycopy(floats(c.get("state_dict").get(names.get("running_mean"))), 0, bn.runningMean().data(), 0, ch);
        System.arraycopy(floats(c.get("state_dict").get(names.get("running_var"))), 0, bn.runningVar().data(), 0, ch);
        Module relu = c.get("relu").asBoolean() ? new ReLU() : new Identity();
        Sequential s = new Sequential(new QuantStub(), bn, relu, new DeQuantStub());
        s.eval();
        return s;
    }

    @TestFactory
    List<DynamicNode> eagerPtqEqualsPyTorchOnEveryEngine() throws IOException {
        JsonNode root = golden();
        List<DynamicNode> nodes = new ArrayList<>();
        for (String engine : QuantEngine.supported()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    String before = QuantEngine.current().name();
                    QuantEngine.set(engine);
                    try {
                        Module m = model(c);
                        if (c.get("fused").asBoolean()) {
                            m = Fuser.fuseModules(m, List.of(List.of("1", "2")));
                        }
                        m.setQConfig(QConfig.defaultFor(c.get("qconfig").asText()));
                        Module prepared = Quantize.prepare(m);
                        for (JsonNode b : c.get("calibration")) {
                            prepared.forward(tensor(b));
                        }
                        Quantize.Conversion conv = Quantize.convertWithReport(prepared, false);
                        assertTrue(conv.report().leftFloat().isEmpty(), conv.report().toString());
                        Module bn = conv.model().getSubmodule("1");
                        Class<?> want = c.get("fused").asBoolean() ? BNReLU2d.class : dev.vquant.quant.nn.quantized.BatchNorm2d.class;
                        assertEquals(want, bn.getClass());
                        Tensor qin = conv.model().getSubmodule("0").forward(tensor(c.get("input")));
                        assertArrayEquals(ints(c.get("quantized_input").get("int_repr")), intRepr(qin));
                        Tensor y = conv.model().getSubmodule("2").forward(bn.forward(qin));
                        JsonNode out = c.get("output");
                        var q = (dev.vquant.quant.nn.quantized.BatchNorm2d) bn;
                        assertEquals(out.get("scale").asDouble(), q.scale());
                        assertEquals(out.get("zero_point").asInt(), q.zeroPoint());
                        assertArrayEquals(ints(out.get("int_repr")), intRepr(y));
                        // saved and loaded back, the converted model gives the same integers
                        Module loaded = Quantize.convertFromState(m, conv.model().stateDict()).model();
                        assertArrayEquals(ints(out.get("int_repr")),
                                intRepr(loaded.getSubmodule("2").forward(loaded.getSubmodule("1").forward(qin))));
                    } finally {
                        QuantEngine.set(before);
                    }
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(engine, tests));
        }
        return nodes;
    }

    @Test
    void errorsNameTheModule() {
        var q = new dev.vquant.quant.nn.quantized.BatchNorm2d(new float[]{1, 1}, new float[2], new float[2],
                new float[]{1, 1}, 1e-5, 0.1, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.forward(Tensor.of(new float[8], 1, 2, 2, 2)));
        assertTrue(e.getMessage().contains("BatchNorm2d"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.forward(Tensor.of(new float[12], 1, 3, 2, 2)));
        assertTrue(e.getMessage().contains("[N, 2, H, W]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new dev.vquant.quant.nn.quantized.BatchNorm2d(new float[]{1},
                new float[2], new float[2], new float[]{1, 1}, 1e-5, 0.1, 3));
        BatchNorm2d noStats = new BatchNorm2d(2, 1e-5, 0.1, true, false);
        Sequential s = new Sequential(new QuantStub(), noStats, new DeQuantStub());
        s.eval();
        s.setQConfig(QConfig.defaultFor("qnnpack"));
        Module prepared = Quantize.prepare(s);
        prepared.forward(Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2));
        e = assertThrows(IllegalArgumentException.class, () -> Quantize.convert(prepared));
        assertTrue(e.getMessage().contains("'1'") && e.getMessage().contains("running statistics"), e.getMessage());
    }
}
