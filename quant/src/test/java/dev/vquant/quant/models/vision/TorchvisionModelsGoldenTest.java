package dev.vquant.quant.models.vision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.quant.models.mobilenet.MobileNetV2;
import dev.vquant.quant.models.resnet.ResNet;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java models against torchvision 0.14.1 (golden/torchvision_models.json): the same state-dict
 * names and shapes in the same order, before and after {@code fuseModel()} in eval and in training
 * mode, and the same float logits for the same weights; the fused float model computes what the
 * unfused one does.
 */
class TorchvisionModelsGoldenTest {
    /** Relative logit error allowed (measured: 1.8e-6 ResNet-18, 2.1e-6 ResNet-50, 2.4e-6 MobileNetV2): float32 sums in another order. */
    private static final double FLOAT_TOLERANCE = 2e-5;

    private static Supplier<Module> factory(String name) {
        return switch (name) {
            case "resnet18" -> () -> ResNet.resnet18(1000, 7);
            case "resnet50" -> () -> ResNet.resnet50(1000, 7);
            case "mobilenet_v2" -> () -> MobileNetV2.mobilenetV2(1000, 1.0, 7);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50", "mobilenet_v2"})
    void stateDictNamesAndShapesAreTorchvisions(String name) {
        JsonNode golden = TorchvisionGolden.model(name);
        Module model = factory(name).get();
        assertEquals(TorchvisionGolden.keys(golden.get("keys")), TorchvisionGolden.keys(model), name);

        model.eval();
        ((QuantizableModel) model).fuseModel();
        assertEquals(TorchvisionGolden.keys(golden.get("fused_keys")), TorchvisionGolden.keys(model), name + " fused (eval)");

        Module qat = factory(name).get();
        qat.train();
        ((QuantizableModel) qat).fuseModel();
        assertEquals(TorchvisionGolden.keys(golden.get("fused_qat_keys")), TorchvisionGolden.keys(qat), name + " fused (QAT)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50", "mobilenet_v2"})
    void floatLogitsAreTorchvisionsAndFusionKeepsThem(String name) {
        JsonNode golden = TorchvisionGolden.model(name);
        Module model = factory(name).get();
        TorchvisionGolden.fillDeterministic(model);
        model.eval();
        var x = TorchvisionGolden.input(64);
        float[] expected = TorchvisionGolden.floats(golden.get("logits"));
        float[] logits = model.forward(x).toFloatArray();
        assertEquals(expected.length, logits.length);
        double err = TorchvisionGolden.relativeMaxError(logits, expected);
        assertTrue(err <= FLOAT_TOLERANCE, name + ": relative max error vs torchvision " + err);

        ((QuantizableModel) model).fuseModel();
        float[] fused = model.forward(x).toFloatArray();
        double fusedErr = TorchvisionGolden.relativeMaxError(fused, logits);
        assertTrue(fusedErr <= FLOAT_TOLERANCE, name + ": fused vs unfused relative max error " + fusedErr);
        assertArrayEquals(new int[]{1, 1000}, model.forward(x).shape());
    }
}
