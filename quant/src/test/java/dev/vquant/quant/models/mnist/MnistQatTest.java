package dev.vquant.quant.models.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.io.SafeTensors;
import dev.vquant.quant.io.SafeTensorsFile;
import dev.vquant.quant.io.StateDicts;
import dev.vquant.quant.io.StoredTensor;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convert after QAT against PyTorch 1.13: PyTorch's QAT-prepared state after fine-tuning
 * ({@code int8/<model>_qat_<qc>_prepared_state.safetensors}) loads strictly into vquant's
 * QAT-prepared MnistCnn (fused in training mode, {@link Quantize#prepareQat}), whose state dict has
 * exactly PyTorch's names; converted in eval mode it equals PyTorch's converted model
 * ({@code int8/<model>_qat_<qc>.safetensors}) entry for entry, byte for byte (int8 weights, weight
 * and output qparams, folded biases), and predicts test-public as PyTorch does (vquant qnnpack vs
 * PyTorch qnnpack, vquant fbgemm vs PyTorch onednn).
 */
class MnistQatTest {
    private static final List<String> MODELS = List.of("cnn_micro", "cnn_tiny", "cnn");
    private static final List<String> QCONFIGS = List.of("qnnpack", "onednn", "fbgemm");

    static MnistCnn untrained(String model) {
        return switch (model) {
            case "cnn" -> MnistCnn.cnn();
            case "cnn_tiny" -> MnistCnn.cnnTiny();
            case "cnn_micro" -> MnistCnn.cnnMicro();
            default -> throw new IllegalArgumentException(model);
        };
    }

    private static Map<String, Tensor> pytorchState(String model, String qc) {
        return MnistData.state("int8/" + model + "_qat_" + qc + "_prepared_state.safetensors");
    }

    /** vquant's QAT-prepared model of one recipe holding PyTorch's fine-tuned state, in eval mode. */
    static Module preparedWithPyTorchState(String model, String qc) {
        Module prepared = MnistRecipes.qatPrepared(untrained(model), qc);
        Map<String, Tensor> state = pytorchState(model, qc);
        assertEquals(new TreeSet<>(state.keySet()), new TreeSet<>(prepared.stateDict().keySet()), "state dict names");
        prepared.loadStateDict(state, true);
        return prepared.eval();
    }

    @TestFactory
    List<DynamicTest> pytorchQatStatesConvertAsPyTorch() {
        JsonNode predictions = MnistData.json("predictions-public.json");
        Tensor test = MnistData.images("test-public");
        List<DynamicTest> tests = new ArrayList<>();
        for (String model : MODELS) {
            for (String qc : QCONFIGS) {
                tests.add(DynamicTest.dynamicTest(model + " " + qc, () -> {
                    Module int8 = MnistRecipes.qatConverted(untrained(model), qc, pytorchState(model, qc));
                    String file = "int8/" + model + "_qat_" + qc + ".safetensors";
                    Map<String, StoredTensor> ours = StateDicts.toStored(int8.stateDict());
                    SafeTensorsFile theirs = read(file);
                    assertEquals(new TreeSet<>(theirs.names()), new TreeSet<>(ours.keySet()), file + " entries");
                    List<String> differ = new ArrayList<>();
                    for (String name : theirs.names()) {
                        if (!Arrays.equals(theirs.get(name).toBytes(), ours.get(name).toBytes())) {
                            differ.add(name);
                        }
                    }
                    assertTrue(differ.isEmpty(), file + ": entries differ from PyTorch's " + differ);
                    MnistData.assertPredictionsEqual(int8, test, predictions, model, "qat", qc);
                }));
            }
        }
        return tests;
    }

    /**
     * The QAT-prepared model itself in eval mode (fake-quantized float forward: BN folded into the
     * fake-quantized weights with running statistics, activation fake-quants) against PyTorch's
     * {@code qat_fakequant} rows on the first 500 test-public images. Float convolutions sum in
     * another order than PyTorch's, so a value on a rounding boundary of a fake-quant can move one
     * step; the test prints the agreement (measured: all equal) and requires 99%.
     */
    @TestFactory
    List<DynamicTest> fakeQuantizedForwardPredictsAsPyTorch() {
        JsonNode predictions = MnistData.json("predictions-public.json");
        // the first 500 images: the fake-quantized float forward is the slow path, and 500 x 9 recipes cover it
        Tensor test = MnistData.slice(MnistData.images("test-public"), 0, 500);
        List<DynamicTest> tests = new ArrayList<>();
        for (String model : MODELS) {
            for (String qc : QCONFIGS) {
                tests.add(DynamicTest.dynamicTest(model + " " + qc, () -> {
                    String got = MnistData.predict(preparedWithPyTorchState(model, qc), test);
                    String want = predictions.get(model + "|qat_fakequant|float|" + qc + "|test-public").asText()
                            .substring(0, got.length());
                    int same = 0;
                    for (int i = 0; i < want.length(); i++) {
                        same += want.charAt(i) == got.charAt(i) ? 1 : 0;
                    }
                    System.out.println("qat_fakequant " + model + " " + qc + ": " + same + "/" + want.length() + " predictions equal");
                    assertTrue(same >= 0.99 * want.length(), model + " " + qc + ": only " + same + "/" + want.length());
                }));
            }
        }
        return tests;
    }

    private static SafeTensorsFile read(String file) {
        try {
            return SafeTensors.read(MnistData.resource(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
