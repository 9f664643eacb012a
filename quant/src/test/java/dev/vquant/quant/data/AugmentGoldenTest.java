package dev.vquant.quant.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.testing.GoldenJson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static dev.vquant.quant.testing.GoldenJson.assertBits;
import static dev.vquant.quant.testing.GoldenJson.floats;
import static dev.vquant.quant.testing.GoldenJson.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipes' randomness and augmentation against PyTorch 1.13 ({@code golden/augment.json},
 * written by {@code tools/golden/augment.py}): the generator's randperm and rand draws after
 * manual_seed, bit for bit; {@code grid_sample(affine_grid(theta))} bit for bit on synthetic and
 * MNIST images for identity, quarter and half turns, shifts and a scaled rotation; train.py's
 * augment on six MNIST digits (seed 1): its theta within 2 ulps (Java's cos/sin), its images bit
 * for bit from PyTorch's theta and within 1e-5 from ours.
 */
class AugmentGoldenTest {
    private static final JsonNode GOLDEN = GoldenJson.read("augment.json");

    private static Tensor tensor(JsonNode t) {
        return Tensor.of(floats(t.get("bits")), ints(t.get("shape")));
    }

    @TestFactory
    List<DynamicTest> generatorDraws() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : GOLDEN.get("generator")) {
            long seed = c.get("seed").asLong();
            tests.add(DynamicTest.dynamicTest("manual_seed(" + seed + ")", () -> {
                TorchGenerator g = new TorchGenerator(seed);
                int k = 0;
                for (JsonNode d : c.get("draws")) {
                    String what = "seed " + seed + " draw " + k++ + " " + d.get("op").asText();
                    if (d.get("op").asText().equals("randperm")) {
                        assertArrayEquals(ints(d.get("values")), g.randperm(d.get("n").asInt()), what);
                    } else {
                        int n = 1;
                        for (int s : ints(d.get("shape"))) {
                            n *= s;
                        }
                        assertBits(floats(d.get("bits")), g.rand(n), what);
                    }
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> affineWarps() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : GOLDEN.get("affine")) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> assertBits(floats(c.get("y").get("bits")),
                    AffineWarp.apply(tensor(c.get("x")), floats(c.get("theta").get("bits"))).toFloatArray(), name)));
        }
        return tests;
    }

    @Test
    void trainPyAugment() {
        JsonNode a = GOLDEN.get("augment");
        Tensor x = tensor(a.get("x"));
        float[] theirTheta = floats(a.get("theta").get("bits"));
        float[] want = floats(a.get("y").get("bits"));
        assertBits(want, AffineWarp.apply(x, theirTheta).toFloatArray(), "augment from PyTorch's theta");

        float[] ourTheta = RandomAffine.mnistRecipe().drawTheta(x.dim(0), new TorchGenerator(a.get("seed").asLong()));
        for (int i = 0; i < ourTheta.length; i++) {
            assertEquals(theirTheta[i], ourTheta[i], 2 * Math.ulp(theirTheta[i]), "theta[" + i + "]");
        }
        float[] got = RandomAffine.mnistRecipe().apply(x, new TorchGenerator(a.get("seed").asLong())).toFloatArray();
        double maxDiff = 0;
        for (int i = 0; i < got.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
        }
        assertTrue(maxDiff <= 1e-5, "augmented images differ from train.py's by " + maxDiff);
    }
}
