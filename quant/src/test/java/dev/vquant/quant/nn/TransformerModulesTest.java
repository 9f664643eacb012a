package dev.vquant.quant.nn;

import dev.vquant.ops.math.ScalarMath;
import dev.vquant.quant.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LayerNorm, GELU, Tanh, Softmax and Embedding: PyTorch's names, state dicts, results and messages. */
class TransformerModulesTest {

    private static float[] randoms(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian() * 2;
        }
        return x;
    }

    @Test
    void layerNormHasPyTorchsStateAndNumerics() {
        LayerNorm ln = new LayerNorm(new int[]{6}, 1e-12, true);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.stateDict().keySet()));
        assertArrayEquals(new int[]{6}, ln.stateDict().get("weight").shape());
        assertEquals("LayerNorm((6,), eps=1e-12, elementwise_affine=True)", ln.toString());
        float[] w = randoms(6, 1);
        float[] b = randoms(6, 2);
        ln.loadStateDict(Map.of("weight", Tensor.of(w, 6), "bias", Tensor.of(b, 6)));
        float[] x = randoms(18, 3);
        float[] y = ln.forward(Tensor.of(x, 3, 6)).toFloatArray();
        for (int r = 0; r < 3; r++) {
            double mean = 0;
            double var = 0;
            for (int i = 0; i < 6; i++) {
                mean += x[r * 6 + i] / 6.0;
            }
            for (int i = 0; i < 6; i++) {
                var += (x[r * 6 + i] - mean) * (x[r * 6 + i] - mean) / 6;
            }
            for (int i = 0; i < 6; i++) {
                double want = (x[r * 6 + i] - mean) / Math.sqrt(var + 1e-12) * w[i] + b[i];
                assertEquals(want, y[r * 6 + i], 1e-5);
            }
        }
        assertTrue(new LayerNorm(new int[]{4}, 1e-5, false).stateDict().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.of(new float[5], 5)));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(new int[]{4}, Double.NaN, true));
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(new int[0], 1e-5, true));
    }

    @Test
    void geluTanhSoftmaxAndEmbedding() {
        float[] x = randoms(10, 4);
        float[] g = new GELU().forward(Tensor.of(x, 2, 5)).toFloatArray();
        float[] gt = new GELU("tanh").forward(Tensor.of(x, 2, 5)).toFloatArray();
        float[] t = new Tanh().forward(Tensor.of(x, 10)).toFloatArray();
        for (int i = 0; i < 10; i++) {
            assertEquals(ScalarMath.gelu(x[i]), g[i]);
            assertEquals(ScalarMath.geluTanh(x[i]), gt[i]);
            assertEquals(Math.tanh(x[i]), t[i], 3 * Math.ulp((float) Math.tanh(x[i])));
        }
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertThrows(IllegalArgumentException.class, () -> new GELU("erf"));

        float[] s = new Softmax(-1).forward(Tensor.of(x, 2, 5)).toFloatArray();
        float[] s1 = Softmax.apply(Tensor.of(x, 2, 5), 1).toFloatArray();
        assertArrayEquals(s, s1);
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += s[i];
        }
        assertEquals(1, sum, 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Softmax(0).forward(Tensor.of(x, 2, 5)));
        assertTrue(e.getMessage().contains("last dimension"), e.getMessage());

        Embedding emb = new Embedding(7, 3, 5);
        assertEquals(List.of("weight"), List.copyOf(emb.stateDict().keySet()));
        float[] table = emb.weight().data();
        double m2 = 0;
        for (float v : table) {
            m2 += v * v;
        }
        assertTrue(m2 / table.length > 0.2 && m2 / table.length < 3, "N(0, 1) initialization");
        float[] y = emb.forward(Tensor.of(new float[]{6, 0, 2, 6}, 2, 2)).toFloatArray();
        assertArrayEquals(new int[]{2, 2, 3}, emb.forward(Tensor.of(new float[]{6, 0, 2, 6}, 2, 2)).shape());
        for (int j = 0; j < 3; j++) {
            assertEquals(table[6 * 3 + j], y[j]);
            assertEquals(table[j], y[3 + j]);
        }
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(new float[]{7}, 1)));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(new float[]{1.5f}, 1)));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(new float[]{Float.NaN}, 1)));
        assertThrows(IllegalArgumentException.class, () -> emb.lookup(new int[]{-1}, 1));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 3, 1));
    }
}
