package dev.vquant.quant.models.vision;

import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.testing.ArenaChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The int8 torchvision models (the closed-form weights of {@link TorchvisionGolden}, calibrated on
 * seeded synthetic images at 32x32) inside poisoned {@link dev.vquant.ops.core.OutputArena}
 * scopes: the same logits bit for bit as without a scope, twice, and no array allocated the second time.
 */
class OutputArenaVisionTest {
    private final String engineBefore = QuantEngine.get();

    @AfterEach
    void restoreEngine() {
        QuantEngine.set(engineBefore);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"resnet18, fbgemm", "resnet18, qnnpack", "mobilenet_v2, fbgemm", "mobilenet_v2, qnnpack"})
    void int8ModelsGiveTheSameLogitsInsideAScope(String name, String engine) {
        QuantEngine.set(engine);
        Module floatModel = switch (name) {
            case "resnet18" -> dev.vquant.quant.models.resnet.ResNet.resnet18(10, 11);
            default -> dev.vquant.quant.models.mobilenet.MobileNetV2.mobilenetV2(10, 1.0, 11);
        };
        TorchvisionGolden.fillDeterministic(floatModel);
        floatModel.eval();
        Module int8 = SyntheticCalibration.quantizeStatic((Module & QuantizableModel) floatModel, engine, 2, 32, 1);
        ArenaChecks.sameInsidePoisonedScopes(int8, SyntheticCalibration.images(5, 2, 32), name + " " + engine);
    }
}
