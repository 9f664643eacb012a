package dev.vquant.quant.models.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.data.Idx;
import dev.vquant.quant.io.StateDicts;
import dev.vquant.quant.nn.Module;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The bundled MNIST data, weights and PyTorch's answers (src/test/resources/mnist, copied from ../shared/mnist). */
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class MnistData {
    private MnistData() {
    }

    static Path resource(String name) {
        try {
            return Path.of(MnistData.class.getResource("/mnist/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource mnist/" + name, e);
        }
    }

    static Tensor images(String split) {
        try {
            return Idx.readImages(resource(split + "-images-idx3-ubyte"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] labels(String split) {
        try {
            return Idx.readLabels(resource(split + "-labels-idx1-ubyte"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Tensor> state(String file) {
        try {
            return StateDicts.load(resource(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        try (InputStream in = MnistData.class.getResourceAsStream("/mnist/" + name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Images {@code [from, to)}. */
    static Tensor slice(Tensor images, int from, int to) {
        return MnistRecipes.slice(images, from, to);
    }

    /** The float CNN by name (cnn, cnn_tiny, cnn_micro) with its trained weights, in eval mode. */
    static MnistCnn trainedCnn(String model) {
        MnistCnn m = switch (model) {
            case "cnn" -> MnistCnn.cnn();
            case "cnn_tiny" -> MnistCnn.cnnTiny();
            case "cnn_micro" -> MnistCnn.cnnMicro();
            default -> throw new IllegalArgumentException(model);
        };
        m.loadStateDict(state(model + "_float.safetensors"));
        m.eval();
        return m;
    }

    /** Top-1 class per image. */
    static String predict(Module model, Tensor images) {
        return MnistRecipes.predict(model, images);
    }

    /**
     * Checks that {@code int8} predicts test-public as PyTorch did, image for image, for each exact
     * engine pair (vquant qnnpack vs PyTorch qnnpack, vquant fbgemm vs PyTorch onednn) that this
     * machine supports: the rows {@code <model>|<scheme>|<pytorch engine>|<qc>|test-public}.
     */
    static void assertPredictionsEqual(Module int8, Tensor test, JsonNode predictions, String model, String scheme, String qc) {
        for (String[] pair : new String[][]{{"qnnpack", "qnnpack"}, {"fbgemm", "onednn"}}) {
            if (!QuantEngine.supported().contains(pair[0])) {
                continue;
            }
            QuantEngine.set(pair[0]);
            try {
                String got = predict(int8, test);
                String want = predictions.get(model + "|" + scheme + "|" + pair[1] + "|" + qc + "|test-public").asText();
                List<Integer> differ = new ArrayList<>();
                for (int i = 0; i < want.length(); i++) {
                    if (want.charAt(i) != got.charAt(i)) {
                        differ.add(i);
                    }
                }
                System.out.println(scheme + " " + model + " " + qc + " vquant " + pair[0] + " vs PyTorch " + pair[1] + ": "
                        + (want.length() - differ.size()) + "/" + want.length() + " predictions equal");
                assertEquals(want.length(), got.length());
                assertTrue(differ.isEmpty(), model + " " + qc + ": vquant " + pair[0] + " vs PyTorch " + pair[1]
                        + " differ on images " + differ);
            } finally {
                QuantEngine.set(QuantEngine.automaticDefault());
            }
        }
    }
}
