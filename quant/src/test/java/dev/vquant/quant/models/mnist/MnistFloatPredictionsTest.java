package dev.vquant.quant.models.mnist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.data.Idx;
import dev.vquant.quant.io.SafeTensors;
import dev.vquant.quant.io.StoredTensor;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch-trained float models on the 1,500 test-public images against PyTorch's float
 * predictions ({@code predictions-public.json}, key {@code <model>|float|float|-|test-public}) and
 * the README's float accuracy. float32 sums in another order than PyTorch's can flip an image whose
 * top two logits (nearly) tie, so each differing image is printed with its top-2 logits, and at most
 * {@value #MAX_DIFFERING} may differ; top-1 accuracy must equal the README's within 0.2 points.
 * Also run fused (eval-mode fuseModel: BN folded) to show fusion keeps the predictions.
 */
class MnistFloatPredictionsTest {
    static final int MAX_DIFFERING = 3;
    static Tensor images;
    static int[] labels;
    static JsonNode predictions;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        images = Idx.readImages(resource("test-public-images-idx3-ubyte"));
        labels = Idx.readLabels(resource("test-public-labels-idx1-ubyte"));
        predictions = new ObjectMapper().readTree(resource("predictions-public.json").toFile());
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(MnistFloatPredictionsTest.class.getResource("/mnist/" + name).toURI());
    }

    /** A float state dict from a PyTorch safetensors file (num_batches_tracked, stored I64, as float). */
    static Map<String, Tensor> stateDict(String file) throws IOException, URISyntaxException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, StoredTensor> e : SafeTensors.read(resource(file)).tensors().entrySet()) {
            out.put(e.getKey(), Tensor.of(e.getValue().toFloatArray(), e.getValue().intShape()));
        }
        return out;
    }

    /** The model with its trained weights (strict load: every key matched), in eval mode. */
    static Module trained(String name, Supplier<Module> make) throws IOException, URISyntaxException {
        Module m = make.get();
        m.loadStateDict(stateDict(name + "_float.safetensors"));
        m.eval();
        return m;
    }

    /** Logits [1500, 10] in batches of 500. */
    static float[] logits(Module m) {
        float[] all = images.toFloatArray();
        float[] out = new float[1500 * 10];
        for (int b = 0; b < 1500; b += 500) {
            Tensor batch = Tensor.of(Arrays.copyOfRange(all, b * 784, (b + 500) * 784), 500, 1, 28, 28);
            Tensor y = m.forward(batch);
            assertEquals(List.of(500, 10), Arrays.stream(y.shape()).boxed().toList());
            System.arraycopy(y.toFloatArray(), 0, out, b * 10, 5000);
        }
        return out;
    }

    static int argmax(float[] logits, int image, int skip) {
        int best = -1;
        for (int j = 0; j < 10; j++) {
            if (j != skip && (best < 0 || logits[image * 10 + j] > logits[image * 10 + best])) {
                best = j;
            }
        }
        return best;
    }

    /** Checks one model; returns the report line. */
    static String check(String name, Module model, double readmeTop1) {
        return check(name, "float", model, readmeTop1);
    }

    static String check(String name, String how, Module model, double readmeTop1) {
        String pytorch = predictions.get(name + "|float|float|-|test-public").asText();
        float[] logits = logits(model);
        int agree = 0;
        int correct = 0;
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            int top = argmax(logits, i, -1);
            if (top == labels[i]) {
                correct++;
            }
            if (top == pytorch.charAt(i) - '0') {
                agree++;
            } else {
                int second = argmax(logits, i, top);
                differing.add("image " + i + ": vquant " + top + " (" + logits[i * 10 + top] + "), second " + second + " ("
                        + logits[i * 10 + second] + "), PyTorch " + pytorch.charAt(i) + ", label " + labels[i]);
            }
        }
        double top1 = 100.0 * correct / 1500;
        String line = String.format("%s %s: %d/1500 agree with PyTorch, top-1 %.2f%% (README %.2f%%)%s", name, how, agree, top1, readmeTop1,
                differing.isEmpty() ? "" : "\n  " + String.join("\n  ", differing));
        System.out.println(line);
        assertTrue(1500 - agree <= MAX_DIFFERING, line);
        assertEquals(readmeTop1, top1, 0.2, line);
        return line;
    }

    @Test
    void cnn() throws Exception {
        check("cnn", trained("cnn", MnistCnn::cnn), 98.80);
    }

    @Test
    void cnnTiny() throws Exception {
        check("cnn_tiny", trained("cnn_tiny", MnistCnn::cnnTiny), 97.20);
    }

    @Test
    void cnnMicro() throws Exception {
        check("cnn_micro", trained("cnn_micro", MnistCnn::cnnMicro), 92.27);
    }

    @Test
    void mlp() throws Exception {
        check("mlp", trained("mlp", MnistMlp::mlp), 98.33);
    }

    @Test
    void everyEngineGivesTheSamePredictions() throws Exception {
        String saved = QuantEngine.get();
        try {
            for (String engine : QuantEngine.supported()) {
                QuantEngine.set(engine);
                check("cnn_tiny", "float on " + engine, trained("cnn_tiny", MnistCnn::cnnTiny), 97.20);
                check("mlp", "float on " + engine, trained("mlp", MnistMlp::mlp), 98.33);
            }
        } finally {
            QuantEngine.set(saved);
        }
    }

    @Test
    void fusedCnnsKeepThePredictions() throws Exception {
        record Cnn(String name, Supplier<Module> make, double top1) {
        }
        for (Cnn c : List.of(new Cnn("cnn", MnistCnn::cnn, 98.80), new Cnn("cnn_tiny", MnistCnn::cnnTiny, 97.20),
                new Cnn("cnn_micro", MnistCnn::cnnMicro, 92.27))) {
            MnistCnn m = (MnistCnn) trained(c.name(), c.make());
            m.fuseModel();
            check(c.name(), "float fused", m, c.top1());
        }
    }
}
