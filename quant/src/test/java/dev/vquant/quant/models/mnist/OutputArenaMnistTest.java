package dev.vquant.quant.models.mnist;

import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.testing.ArenaChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

/**
 * PyTorch's converted int8 MNIST CNNs inside poisoned {@link dev.vquant.ops.core.OutputArena}
 * scopes: the same logits bit for bit as without a scope, twice, and no array allocated the second time.
 */
class OutputArenaMnistTest {
    private final String engineBefore = QuantEngine.get();

    @AfterEach
    void restoreEngine() {
        QuantEngine.set(engineBefore);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"cnn, fbgemm", "cnn, qnnpack", "cnn_tiny, fbgemm"})
    void int8CnnGivesTheSameLogitsInsideAScope(String model, String qconfig) {
        QuantEngine.set(qconfig);
        Module int8 = Quantize.convertFromState(MnistData.trainedCnn(model).fuseModel(),
                MnistData.state("int8/" + model + "_ptq_" + qconfig + ".safetensors")).model();
        Tensor test = MnistData.images("test-public");
        List<Tensor> inputs = List.of(MnistData.slice(test, 0, 2), MnistData.slice(test, 2, 4), MnistData.slice(test, 4, 6));
        ArenaChecks.sameInsidePoisonedScopes(int8, inputs, model + " " + qconfig);
    }
}
