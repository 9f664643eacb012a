package dev.vquant.quant.models.wordlm;

import dev.vquant.engine.DType;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.ModelSize;
import dev.vquant.quant.nn.LSTM;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dynamic quantization tutorial's word language model: its names and sizes, the float
 * forward against a float64 composition of the same state dict, the quantized model close to the
 * float one, and the weight bytes before and after.
 */
class WordLanguageModelTest {

    @Test
    void tutorialNamesShapesAndSizes() {
        WordLanguageModel m = WordLanguageModel.tutorial(1);
        Map<String, Tensor> sd = m.stateDict();
        List<String> want = new ArrayList<>(List.of("encoder.weight"));
        for (int k = 0; k < 5; k++) {
            want.addAll(List.of("rnn.weight_ih_l" + k, "rnn.weight_hh_l" + k, "rnn.bias_ih_l" + k, "rnn.bias_hh_l" + k));
        }
        want.addAll(List.of("decoder.weight", "decoder.bias"));
        assertEquals(want, List.copyOf(sd.keySet()));
        assertArrayEquals(new int[]{33278, 512}, sd.get("encoder.weight").shape());
        assertArrayEquals(new int[]{1024, 512}, sd.get("rnn.weight_ih_l0").shape());
        assertArrayEquals(new int[]{1024, 256}, sd.get("rnn.weight_ih_l1").shape());
        assertArrayEquals(new int[]{1024, 256}, sd.get("rnn.weight_hh_l4").shape());
        assertArrayEquals(new int[]{33278, 256}, sd.get("decoder.weight").shape());
        float[] enc = sd.get("encoder.weight").toFloatArray();
        float max = 0;
        for (float v : enc) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= 0.1f && max > 0.09f, "encoder U(-0.1, 0.1), max |w| " + max);
        for (float v : sd.get("decoder.bias").toFloatArray()) {
            assertEquals(0f, v);
        }

        Module q = Quantize.quantizeDynamic(m, Set.of(LSTM.class, Linear.class), DType.QINT8);
        assertInstanceOf(dev.vquant.quant.nn.quantized.dynamic.LSTM.class, q.getSubmodule("rnn"));
        assertInstanceOf(dev.vquant.quant.nn.quantized.dynamic.Linear.class, q.getSubmodule("decoder"));
        long lstmWeights = 1024L * 512 + 4 * 1024L * 256 + 5 * 1024L * 256;
        long lstmBiases = 10 * 1024L;
        long encoder = 33278L * 512;
        long decoder = 33278L * 256;
        assertEquals(4 * (encoder + lstmWeights + lstmBiases + decoder + 33278), ModelSize.weightBytes(m));
        // the embedding stays float (the tutorial quantizes LSTM and Linear only); per-tensor qparams: 16 bytes per weight
        assertEquals(4 * encoder + lstmWeights + 16 * 10 + 4 * lstmBiases + decoder + 16 + 4 * 33278, ModelSize.weightBytes(q));
    }

    @Test
    void floatForwardMatchesFloat64CompositionAndInt8StaysClose() {
        int ntoken = 40;
        int ninp = 12;
        int nhid = 10;
        int layers = 2;
        WordLanguageModel m = new WordLanguageModel(ntoken, ninp, nhid, layers, 0.5, 21);
        m.eval();
        int t = 6;
        int b = 2;
        Random r = new Random(3);
        float[] ids = new float[t * b];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(ntoken);
        }
        Tensor input = Tensor.of(ids, t, b);
        WordLanguageModel.Output out = m.forwardWithState(input, null, null);
        assertArrayEquals(new int[]{t, b, ntoken}, out.logits().shape());
        assertArrayEquals(new int[]{layers, b, nhid}, out.h().shape());
        float[] got = out.logits().toFloatArray();
        double[] want = reference(m.stateDict(), ids, t, b, ninp, nhid, layers, ntoken);
        for (int i = 0; i < got.length; i++) {
            assertEquals(want[i], got[i], 1e-5, "logit " + i);
        }

        Module q = Quantize.quantizeDynamic(m, Set.of(LSTM.class, Linear.class), DType.QINT8);
        float[] gq = q.forward(input).toFloatArray();
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.length; i++) {
            num += (gq[i] - got[i]) * (double) (gq[i] - got[i]);
            den += got[i] * (double) got[i];
        }
        assertTrue(Math.sqrt(num / den) < 0.05, "int8 vs float relative error " + Math.sqrt(num / den));
        WordLanguageModel.Output qs = ((WordLanguageModel) q).forwardWithState(input, out.h(), out.c());
        assertArrayEquals(new int[]{t, b, ntoken}, qs.logits().shape());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.of(new float[]{40}, 1, 1)));
        assertTrue(e.getMessage().contains("index 40.0"), e.getMessage());
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Embedding, the LSTM equations (gates i, f, g, o) layer by layer, and the decoder, in float64. */
    private static double[] reference(Map<String, Tensor> sd, float[] ids, int t, int b, int ninp, int nhid, int layers, int ntoken) {
        float[] enc = sd.get("encoder.weight").toFloatArray();
        double[] x = new double[t * b * ninp];
        for (int i = 0; i < t * b; i++) {
            for (int j = 0; j < ninp; j++) {
                x[i * ninp + j] = enc[(int) ids[i] * ninp + j];
            }
        }
        int in = ninp;
        for (int l = 0; l < layers; l++) {
            float[] wih = sd.get("rnn.weight_ih_l" + l).toFloatArray();
            float[] whh = sd.get("rnn.weight_hh_l" + l).toFloatArray();
            float[] bih = sd.get("rnn.bias_ih_l" + l).toFloatArray();
            float[] bhh = sd.get("rnn.bias_hh_l" + l).toFloatArray();
            double[] h = new double[b * nhid];
            double[] c = new double[b * nhid];
            double[] y = new double[t * b * nhid];
            for (int step = 0; step < t; step++) {
                double[] hn = new double[b * nhid];
                for (int bi = 0; bi < b; bi++) {
                    double[] gates = new double[4 * nhid];
                    for (int g = 0; g < 4 * nhid; g++) {
                        double s = bih[g] + bhh[g];
                        for (int i = 0; i < in; i++) {
                            s += wih[g * in + i] * x[(step * b + bi) * in + i];
                        }
                        for (int i = 0; i < nhid; i++) {
                            s += whh[g * nhid + i] * h[bi * nhid + i];
                        }
                        gates[g] = s;
                    }
                    for (int j = 0; j < nhid; j++) {
                        double ig = sigmoid(gates[j]);
                        double fg = sigmoid(gates[nhid + j]);
                        double gg = Math.tanh(gates[2 * nhid + j]);
                        double og = sigmoid(gates[3 * nhid + j]);
                        c[bi * nhid + j] = fg * c[bi * nhid + j] + ig * gg;
                        hn[bi * nhid + j] = og * Math.tanh(c[bi * nhid + j]);
                        y[(step * b + bi) * nhid + j] = hn[bi * nhid + j];
                    }
                }
                h = hn;
            }
            x = y;
            in = nhid;
        }
        float[] w = sd.get("decoder.weight").toFloatArray();
        float[] bias = sd.get("decoder.bias").toFloatArray();
        double[] out = new double[t * b * ntoken];
        for (int i = 0; i < t * b; i++) {
            for (int o = 0; o < ntoken; o++) {
                double s = bias[o];
                for (int j = 0; j < nhid; j++) {
                    s += w[o * nhid + j] * x[i * nhid + j];
                }
                out[i * ntoken + o] = s;
            }
        }
        return out;
    }
}
