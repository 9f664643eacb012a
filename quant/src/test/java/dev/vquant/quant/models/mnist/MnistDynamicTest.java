package dev.vquant.quant.models.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Dynamic quantization of the PyTorch-trained MLP ({@code quantize_dynamic(model, {Linear}, qint8)}
 * per tensor and per channel): int8 weights and their qparams equal PyTorch's converted files bit
 * for bit, and test-public predictions equal PyTorch's image by image (vquant qnnpack vs PyTorch
 * qnnpack, vquant fbgemm vs PyTorch onednn).
 */
class MnistDynamicTest {

    @TestFactory
    List<DynamicTest> dynamicMlpEqualsPyTorch() {
        JsonNode predictions = MnistData.json("predictions-public.json");
        Tensor test = MnistData.images("test-public");
        List<DynamicTest> tests = new ArrayList<>();
        for (String scheme : List.of("qint8_per_tensor", "qint8_per_channel")) {
            tests.add(DynamicTest.dynamicTest(scheme, () -> {
                MnistMlp mlp = MnistMlp.mlp();
                mlp.loadStateDict(MnistData.state("mlp_float.safetensors"));
                mlp.eval();
                Module dyn = MnistRecipes.dynamic(mlp, scheme.endsWith("per_channel"));
                Map<String, Tensor> pytorch = MnistData.state("int8/mlp_dynamic_" + scheme + ".safetensors");
                for (String fc : List.of("fc1", "fc2", "fc3")) {
                    QTensor ours = ((dev.vquant.quant.nn.quantized.dynamic.Linear) dyn.getSubmodule(fc)).weight();
                    QTensor theirs = pytorch.get(fc + ".weight").toQuantizedContiguous();
                    assertArrayEquals(theirs.bytes(), ours.bytes(), scheme + " " + fc + " weights");
                    assertEquals(theirs.qparams(), ours.qparams(), scheme + " " + fc + " weight qparams");
                }
                for (String[] pair : new String[][]{{"qnnpack", "qnnpack"}, {"fbgemm", "onednn"}}) {
                    if (!QuantEngine.supported().contains(pair[0])) {
                        continue;
                    }
                    QuantEngine.set(pair[0]);
                    try {
                        String want = predictions.get("mlp|dynamic|" + pair[1] + "|" + scheme + "|test-public").asText();
                        assertEquals(want, MnistData.predict(dyn, test), scheme + ": vquant " + pair[0] + " vs PyTorch " + pair[1]);
                    } finally {
                        QuantEngine.set(QuantEngine.automaticDefault());
                    }
                }
            }));
        }
        return tests;
    }
}
