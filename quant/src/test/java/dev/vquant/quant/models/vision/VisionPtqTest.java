package dev.vquant.quant.models.vision;

import dev.vquant.engine.QuantEngine;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.mobilenet.MobileNetV2;
import dev.vquant.quant.models.resnet.ResNet;
import dev.vquant.quant.nn.Init;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.quantized.QFunctional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static post-training quantization of the torchvision models on each engine, calibrated on seeded
 * synthetic images at a small resolution (so the suite stays fast): the int8 logits follow the float
 * ones, the int8 weights take about a quarter of the float bytes, and the int8 model rebuilt from its
 * own state dict ({@link Quantize#convertFromState}) computes the same logits bit for bit.
 */
class VisionPtqTest {
    private final String engineBefore = QuantEngine.get();

    @AfterEach
    void restoreEngine() {
        QuantEngine.set(engineBefore);
    }

    /**
     * The model with the golden test's closed-form weights, whose activations keep their scale
     * through every layer (torchvision's initialisation with default batch-norm statistics lets
     * MobileNetV2's vanish, see {@link SyntheticCalibration}), and a seeded random classifier
     * (the closed-form rows are near copies of each other, whose near-tied logits would make top-1
     * agreement meaningless).
     */
    private static Module model(String name) {
        Module m = switch (name) {
            case "resnet18" -> ResNet.resnet18(1000, 11);
            case "resnet50" -> ResNet.resnet50(1000, 11);
            case "mobilenet_v2" -> MobileNetV2.mobilenetV2(1000, 1.0, 11);
            default -> throw new IllegalArgumentException(name);
        };
        TorchvisionGolden.fillDeterministic(m);
        Linear fc = (Linear) m.getSubmodule(name.equals("mobilenet_v2") ? "classifier.1" : "fc");
        Init.kaimingUniform(fc.weight().data(), fc.inFeatures(), new SplittableRandom(11));
        fc.weight().markModified();
        return m;
    }

    /**
     * Cosine similarity of int8 and float logits at least {@code minCosine} on every test image
     * (2 calibration images, 2 test images; the measured figures are printed).
     */
    @ParameterizedTest(name = "{0} {1} at {2}x{2}")
    @CsvSource({
            "resnet18, qnnpack, 32, 0.99",
            "resnet18, fbgemm, 32, 0.99",
            "mobilenet_v2, qnnpack, 32, 0.99",
            "mobilenet_v2, fbgemm, 32, 0.99",
            "resnet50, fbgemm, 32, 0.99"})
    void int8LogitsFollowFloatAndWeighAQuarter(String name, String engine, int size, double minCosine) {
        QuantEngine.set(engine);
        Module floatModel = model(name);
        floatModel.eval();
        Module int8 = SyntheticCalibration.quantizeStatic((Module & QuantizableModel) floatModel, engine, 2, size, 1);
        List<Tensor> test = SyntheticCalibration.images(2, 2, size);
        StringBuilder measured = new StringBuilder();
        double minSeen = 1;
        int top1 = 0;
        for (Tensor x : test) {
            float[] f = floatModel.forward(x).toFloatArray();
            float[] q = int8.forward(x).toFloatArray();
            double cos = cosine(f, q);
            minSeen = Math.min(minSeen, cos);
            top1 += argmax(f) == argmax(q) ? 1 : 0;
            measured.append(String.format(" cos=%.5f", cos));
        }
        long floatBytes = ModelSize.weightBytes(floatModel);
        long int8Bytes = ModelSize.weightBytes(int8);
        double ratio = (double) floatBytes / int8Bytes;
        String report = name + " " + engine + " " + size + "x" + size + ":" + measured + ", top-1 agreement " + top1 + "/"
                + test.size() + ", weight bytes float " + floatBytes + " int8 " + int8Bytes + String.format(" (%.2fx)", ratio);
        System.out.println(report);
        assertTrue(minSeen >= minCosine, report);
        assertTrue(top1 >= test.size() - 1, report);
        assertTrue(ratio > 3.5 && ratio < 4.05, report);

        if (!name.equals("mobilenet_v2")) {
            return; // the state-dict rebuild is the same code for every model: checked once
        }
        // features.1 has no residual: its skip_add never sees data and gets PyTorch's default
        // qparams, as in torchvision's quantized MobileNetV2 state dict
        QFunctional unused = (QFunctional) int8.getSubmodule("features.1.skip_add");
        assertEquals(1.0, unused.scale(), report);
        assertEquals(0, unused.zeroPoint(), report);
        Module fusedFloat = floatModel.deepCopy();
        ((QuantizableModel) fusedFloat).fuseModel();
        Module rebuilt = Quantize.convertFromState(fusedFloat, int8.stateDict()).model();
        assertArrayEquals(int8.forward(test.get(0)).toFloatArray(), rebuilt.forward(test.get(0)).toFloatArray(),
                report + ": int8 model rebuilt from its state dict");
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
