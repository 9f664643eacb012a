package dev.vquant.quant.models.bert;

import dev.vquant.engine.DType;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.ModelSize;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BERT encoder: Hugging Face's parameter names and shapes, the float forward against an
 * independent float64 composition of the same state dict, the dynamically quantized model close
 * to the float one, and ~4x fewer weight bytes.
 */
class BertEncoderModelTest {
    private static final BertConfig TINY = new BertConfig(32, 4, 64, 2, 1e-12);

    private static Tensor hidden(int b, int s, int h, long seed) {
        Random r = new Random(seed);
        float[] x = new float[b * s * h];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return Tensor.of(x, b, s, h);
    }

    @Test
    void huggingFaceNamesAndShapes() {
        BertEncoderModel m = new BertEncoderModel(BertConfig.base().withLayers(1), 7);
        Map<String, int[]> want = new LinkedHashMap<>();
        String p = "encoder.layer.0.";
        for (String qkv : List.of("query", "key", "value")) {
            want.put(p + "attention.self." + qkv + ".weight", new int[]{768, 768});
            want.put(p + "attention.self." + qkv + ".bias", new int[]{768});
        }
        want.put(p + "attention.output.dense.weight", new int[]{768, 768});
        want.put(p + "attention.output.dense.bias", new int[]{768});
        want.put(p + "attention.output.LayerNorm.weight", new int[]{768});
        want.put(p + "attention.output.LayerNorm.bias", new int[]{768});
        want.put(p + "intermediate.dense.weight", new int[]{3072, 768});
        want.put(p + "intermediate.dense.bias", new int[]{3072});
        want.put(p + "output.dense.weight", new int[]{768, 3072});
        want.put(p + "output.dense.bias", new int[]{768});
        want.put(p + "output.LayerNorm.weight", new int[]{768});
        want.put(p + "output.LayerNorm.bias", new int[]{768});
        Map<String, Tensor> state = m.stateDict();
        assertEquals(List.copyOf(want.keySet()), List.copyOf(state.keySet()));
        want.forEach((k, s) -> assertArrayEquals(s, state.get(k).shape(), k));
        assertEquals(32, new BertEncoderModel(BertConfig.base().withLayers(2), 1).stateDict().size(), "2 layers x 16 entries");

        // the dynamically quantized layer: int8 weights ~4x smaller, output close to float
        Module q = Quantize.quantizeDynamic(m, Set.of(Linear.class), DType.QINT8);
        long f = ModelSize.weightBytes(m);
        long i8 = ModelSize.weightBytes(q);
        assertEquals(4L * (4 * 768 * 768 + 2 * 768 * 3072 + 9 * 768 + 3072), f);
        double ratio = (double) f / i8;
        assertTrue(ratio > 3.9 && ratio < 4.0, "float/int8 weight bytes " + ratio);
        m.eval();
        Tensor x = hidden(1, 8, 768, 3);
        float[] yf = m.forward(x).toFloatArray();
        float[] yq = q.forward(x).toFloatArray();
        assertTrue(relativeError(yq, yf) < 0.05, "int8 vs float relative error " + relativeError(yq, yf));
        // a state dict loads by these names into another model
        BertEncoderModel other = new BertEncoderModel(BertConfig.base().withLayers(1), 8);
        other.loadStateDict(state);
        assertArrayEquals(yf, other.forward(x).toFloatArray());
    }

    private static double relativeError(float[] got, float[] want) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.length; i++) {
            num += (got[i] - want[i]) * (double) (got[i] - want[i]);
            den += want[i] * (double) want[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void floatForwardMatchesFloat64Composition() {
        BertEncoderModel m = new BertEncoderModel(TINY, 11);
        // LayerNorm weights away from ones/zeros so the affine part is exercised
        Map<String, Tensor> state = new LinkedHashMap<>(m.stateDict());
        Random r = new Random(5);
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (e.getKey().contains("LayerNorm")) {
                float[] v = new float[e.getValue().numel()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = 1 + (float) r.nextGaussian() * 0.3f;
                }
                e.setValue(Tensor.of(v, v.length));
            }
        }
        m.loadStateDict(state);
        m.eval();
        for (int s : new int[]{1, 5}) {
            Tensor x = hidden(2, s, 32, s);
            float[] got = m.forward(x).toFloatArray();
            double[] want = reference(m.stateDict(), toDouble(x.toFloatArray()), 2, s);
            assertEquals(want.length, got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i], got[i], 2e-4, "element " + i + " at sequence length " + s);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> m.forward(hidden(1, 3, 16, 1)));
        assertThrows(IllegalArgumentException.class, () -> new BertConfig(30, 4, 64, 1, 1e-12));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    // ---- the float64 reference, written from the BERT equations over the state dict ----

    private static double[] linear(Map<String, Tensor> sd, String name, double[] x, int rows) {
        float[] w = sd.get(name + ".weight").toFloatArray();
        float[] b = sd.get(name + ".bias").toFloatArray();
        int out = b.length;
        int in = w.length / out;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * (double) w[o * in + i];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    private static double[] addLayerNorm(Map<String, Tensor> sd, String name, double[] a, double[] b, int rows, int h) {
        float[] g = sd.get(name + ".weight").toFloatArray();
        float[] be = sd.get(name + ".bias").toFloatArray();
        double[] y = new double[rows * h];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < h; i++) {
                mean += a[r * h + i] + b[r * h + i];
            }
            mean /= h;
            double var = 0;
            for (int i = 0; i < h; i++) {
                double d = a[r * h + i] + b[r * h + i] - mean;
                var += d * d;
            }
            var /= h;
            for (int i = 0; i < h; i++) {
                y[r * h + i] = (a[r * h + i] + b[r * h + i] - mean) / Math.sqrt(var + TINY.layerNormEps()) * g[i] + be[i];
            }
        }
        return y;
    }

    private static double erf(double z) {
        // Maclaurin series (|z| is small here) with a continued fraction past 3
        double a = Math.abs(z);
        if (a > 3) {
            double f = a;
            for (int k = 100; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            return Math.copySign(1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f, z);
        }
        double term = z;
        double sum = z;
        for (int n = 1; n < 100; n++) {
            term *= -z * z / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static double[] reference(Map<String, Tensor> sd, double[] x, int b, int s) {
        int h = TINY.hiddenSize();
        int heads = TINY.numAttentionHeads();
        int d = TINY.headSize();
        int rows = b * s;
        for (int layer = 0; layer < TINY.numHiddenLayers(); layer++) {
            String p = "encoder.layer." + layer + ".";
            double[] q = linear(sd, p + "attention.self.query", x, rows);
            double[] k = linear(sd, p + "attention.self.key", x, rows);
            double[] v = linear(sd, p + "attention.self.value", x, rows);
            double[] ctx = new double[rows * h];
            for (int bi = 0; bi < b; bi++) {
                for (int hd = 0; hd < heads; hd++) {
                    for (int i = 0; i < s; i++) {
                        double[] score = new double[s];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < s; j++) {
                            double dot = 0;
                            for (int c = 0; c < d; c++) {
                                dot += q[(bi * s + i) * h + hd * d + c] * k[(bi * s + j) * h + hd * d + c];
                            }
                            score[j] = dot / Math.sqrt(d);
                            max = Math.max(max, score[j]);
                        }
                        double sum = 0;
                        for (int j = 0; j < s; j++) {
                            score[j] = Math.exp(score[j] - max);
                            sum += score[j];
                        }
                        for (int c = 0; c < d; c++) {
                            double acc = 0;
                            for (int j = 0; j < s; j++) {
                                acc += score[j] / sum * v[(bi * s + j) * h + hd * d + c];
                            }
                            ctx[(bi * s + i) * h + hd * d + c] = acc;
                        }
                    }
                }
            }
            double[] a = addLayerNorm(sd, p + "attention.output.LayerNorm", linear(sd, p + "attention.output.dense", ctx, rows), x, rows, h);
            double[] inter = linear(sd, p + "intermediate.dense", a, rows);
            for (int i = 0; i < inter.length; i++) {
                inter[i] = 0.5 * inter[i] * (1 + erf(inter[i] / Math.sqrt(2)));
            }
            x = addLayerNorm(sd, p + "output.LayerNorm", linear(sd, p + "output.dense", inter, rows), a, rows, h);
        }
        return x;
    }

    @Test
    void twelveLayersRunAndQuantizeEveryLinear() {
        BertEncoderModel m = new BertEncoderModel(TINY.withLayers(12), 3);
        Module q = Quantize.quantizeDynamic(m, Set.of(Linear.class), DType.QINT8);
        List<String> linears = new ArrayList<>();
        q.namedModules().forEach((n, mod) -> {
            if (mod instanceof dev.vquant.quant.nn.quantized.dynamic.Linear) {
                linears.add(n);
            }
        });
        assertEquals(12 * 6, linears.size());
        assertTrue(linears.contains("encoder.layer.11.attention.self.query"), linears.toString());
        Tensor x = hidden(1, 3, 32, 9);
        assertEquals(Arrays.toString(new int[]{1, 3, 32}), Arrays.toString(q.forward(x).shape()));
    }
}
