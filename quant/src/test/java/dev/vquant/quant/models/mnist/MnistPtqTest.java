package dev.vquant.quant.models.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.quantized.Conv2d;
import dev.vquant.quant.nn.quantized.Linear;
import dev.vquant.quant.nn.quantized.QFunctional;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static PTQ of PyTorch-trained CNNs with the recipe of ../shared/mnist (fuse, default qconfig,
 * 5 calibration batches of 100 in file order, convert): every module's output and weight qparams
 * equal PyTorch's ({@code qparams.json}) bit for bit, the int8 weights equal PyTorch's converted
 * files, and the test-public predictions equal PyTorch's image by image (vquant qnnpack vs
 * PyTorch qnnpack, vquant fbgemm vs PyTorch onednn, the two exact engines).
 */
class MnistPtqTest {
    private static final List<String> MODELS = List.of("cnn_micro", "cnn_tiny", "cnn");
    private static final List<String> QCONFIGS = List.of("qnnpack", "onednn", "fbgemm");

    /** The converted model for one recipe (engine-independent: weights pack per engine on first use). */
    static Module ptq(String model, String qconfig) {
        MnistCnn m = MnistData.trainedCnn(model);
        m.fuseModel();
        m.setQConfig(QConfig.defaultFor(qconfig));
        Module prepared = Quantize.prepare(m);
        Tensor calibration = MnistData.images("calibration");
        for (int b = 0; b < 5; b++) {
            prepared.forward(MnistData.slice(calibration, 100 * b, 100 * b + 100));
        }
        return Quantize.convert(prepared);
    }

    @TestFactory
    List<DynamicTest> qparamsWeightsAndPredictionsEqualPyTorch() {
        JsonNode qparams = MnistData.json("qparams.json");
        JsonNode predictions = MnistData.json("predictions-public.json");
        Tensor test = MnistData.images("test-public");
        List<DynamicTest> tests = new ArrayList<>();
        for (String model : MODELS) {
            for (String qc : QCONFIGS) {
                tests.add(DynamicTest.dynamicTest(model + " " + qc, () -> {
                    Module int8 = ptq(model, qc);
                    checkQParams(int8, qparams.get(model + "|static_ptq|" + qc), model + "|" + qc);
                    checkWeights(int8, MnistData.state("int8/" + model + "_ptq_" + qc + ".safetensors"));
                    for (String[] pair : new String[][]{{"qnnpack", "qnnpack"}, {"fbgemm", "onednn"}}) {
                        if (!QuantEngine.supported().contains(pair[0])) {
                            continue;
                        }
                        QuantEngine.set(pair[0]);
                        try {
                            String got = MnistData.predict(int8, test);
                            String want = predictions.get(model + "|static_ptq|" + pair[1] + "|" + qc + "|test-public").asText();
                            assertEquals(want.length(), got.length());
                            List<Integer> differ = new ArrayList<>();
                            for (int i = 0; i < want.length(); i++) {
                                if (want.charAt(i) != got.charAt(i)) {
                                    differ.add(i);
                                }
                            }
                            assertTrue(differ.isEmpty(), model + " " + qc + ": vquant " + pair[0] + " vs PyTorch " + pair[1]
                                    + " differ on images " + differ);
                        } finally {
                            QuantEngine.set(QuantEngine.automaticDefault());
                        }
                    }
                }));
            }
        }
        return tests;
    }

    private static void checkQParams(Module int8, JsonNode expected, String what) {
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode q = e.getValue();
            Module m = int8.getSubmodule(name);
            double scale;
            int zp;
            QTensor weight = null;
            if (m instanceof dev.vquant.quant.nn.quantized.Quantize qm) {
                scale = qm.qparams().scale();
                zp = qm.qparams().zeroPoint();
            } else if (m instanceof QFunctional f) {
                scale = f.scale();
                zp = f.zeroPoint();
            } else if (m instanceof Conv2d c) {
                scale = c.scale();
                zp = c.zeroPoint();
                weight = c.weight();
            } else if (m instanceof Linear l) {
                scale = l.scale();
                zp = l.zeroPoint();
                weight = l.weight();
            } else {
                throw new AssertionError(what + " " + name + ": unexpected module " + m);
            }
            assertEquals((float) q.get("out_scale").asDouble(), (float) scale, what + " " + name + " output scale");
            assertEquals(q.get("out_zero_point").asInt(), zp, what + " " + name + " output zero point");
            if (weight != null) {
                QParams wq = weight.qparams();
                JsonNode ws = q.get("w_scale");
                JsonNode wz = q.get("w_zero_point");
                int n = ws.isArray() ? ws.size() : 1;
                assertEquals(q.get("w_scheme").asText().equals("per_channel"), wq.isPerChannel(), what + " " + name + " scheme");
                for (int c = 0; c < n; c++) {
                    double s = ws.isArray() ? ws.get(c).asDouble() : ws.asDouble();
                    int z = wz.isArray() ? wz.get(c).asInt() : wz.asInt();
                    assertEquals((float) s, (float) wq.scale(c), what + " " + name + " weight scale " + c);
                    assertEquals(z, wq.zeroPoint(c), what + " " + name + " weight zero point " + c);
                }
            }
        }
    }

    private static void checkWeights(Module int8, Map<String, Tensor> pytorch) {
        for (Map.Entry<String, Tensor> e : pytorch.entrySet()) {
            if (!e.getKey().endsWith(".weight")) {
                continue;
            }
            String module = e.getKey().substring(0, e.getKey().length() - ".weight".length());
            Module m = int8.getSubmodule(module);
            QTensor ours = m instanceof Conv2d c ? c.weight() : ((Linear) m).weight();
            assertArrayEquals(e.getValue().toQuantizedContiguous().bytes(), ours.bytes(), e.getKey());
        }
    }
}
