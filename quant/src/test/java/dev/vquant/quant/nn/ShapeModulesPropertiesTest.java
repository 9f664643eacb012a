package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Flatten and FloatFunctional.cat on random shapes in both memory formats against the logical
 * definition, and LSTM (layers, bias, batch_first) against a float64 recurrence.
 */
class ShapeModulesPropertiesTest {

    @Property(tries = 60)
    void flattenAndCatFollowTheLogicalOrder(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int c,
                                            @ForAll @IntRange(min = 1, max = 4) int h, @ForAll @IntRange(min = 1, max = 4) int w,
                                            @ForAll @IntRange(min = -4, max = 3) int start, @ForAll @IntRange(min = 0, max = 3) int span,
                                            @ForAll @IntRange(min = 0, max = 3) int catDim, @ForAll boolean channelsLast,
                                            @ForAll long seed) {
        int s = Math.floorMod(start, 4);
        int e = Math.min(3, s + span);
        Tensor x = FloatModulesPropertiesTest.input(FloatModulesPropertiesTest.random(new SplittableRandom(seed), n * c * h * w),
                channelsLast, n, c, h, w);
        float[] logical = x.toFloatArray();
        Tensor f = Flatten.apply(x, start, e);
        int[] shape = {n, c, h, w};
        int merged = 1;
        for (int d = s; d <= e; d++) {
            merged *= shape[d];
        }
        assertEquals(4 - (e - s), f.rank());
        assertEquals(merged, f.dim(s));
        assertArrayEquals(logical, f.toFloatArray());
        Tensor y = x.contiguous();
        Tensor cat = new FloatFunctional().cat(List.of(x, y), catDim);
        int[] want = shape.clone();
        want[catDim] *= 2;
        assertArrayEquals(want, cat.shape());
        float[] got = cat.toFloatArray();
        int outer = 1;
        for (int d = 0; d < catDim; d++) {
            outer *= shape[d];
        }
        int block = logical.length / outer;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < block; i++) {
                assertEquals(logical[o * block + i], got[o * 2 * block + i]);
                assertEquals(logical[o * block + i], got[o * 2 * block + block + i]);
            }
        }
    }

    @Property(tries = 30)
    void lstmMatchesTheRecurrence(@ForAll @IntRange(min = 1, max = 5) int in, @ForAll @IntRange(min = 1, max = 4) int hidden,
                                  @ForAll @IntRange(min = 1, max = 3) int layers, @ForAll @IntRange(min = 1, max = 4) int steps,
                                  @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll boolean bias, @ForAll boolean batchFirst,
                                  @ForAll long seed) {
        LSTM lstm = new LSTM(in, hidden, layers, bias, batchFirst, seed);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        float[] x = FloatModulesPropertiesTest.random(r, steps * batch * in);
        float[] h0 = FloatModulesPropertiesTest.random(r, layers * batch * hidden);
        float[] c0 = FloatModulesPropertiesTest.random(r, layers * batch * hidden);
        Tensor input = batchFirst ? Tensor.of(x, batch, steps, in) : Tensor.of(x, steps, batch, in);
        LSTM.Output out = lstm.forwardWithState(input, Tensor.of(h0, layers, batch, hidden), Tensor.of(c0, layers, batch, hidden));
        // seq[t][b][f] in float64
        double[][][] seq = new double[steps][batch][in];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                for (int f = 0; f < in; f++) {
                    seq[t][b][f] = x[(batchFirst ? b * steps + t : t * batch + b) * in + f];
                }
            }
        }
        float[] hN = out.h().toFloatArray();
        float[] cN = out.c().toFloatArray();
        for (int l = 0; l < layers; l++) {
            int width = l == 0 ? in : hidden;
            float[] wi = lstm.weightIh(l).data();
            float[] wh = lstm.weightHh(l).data();
            double[][][] outSeq = new double[steps][batch][hidden];
            for (int b = 0; b < batch; b++) {
                double[] h = new double[hidden];
                double[] c = new double[hidden];
                for (int u = 0; u < hidden; u++) {
                    h[u] = h0[(l * batch + b) * hidden + u];
                    c[u] = c0[(l * batch + b) * hidden + u];
                }
                for (int t = 0; t < steps; t++) {
                    double[] g = new double[4 * hidden];
                    for (int j = 0; j < 4 * hidden; j++) {
                        g[j] = bias ? (double) lstm.biasIh(l).data()[j] + lstm.biasHh(l).data()[j] : 0;
                        for (int k = 0; k < width; k++) {
                            g[j] += wi[j * width + k] * seq[t][b][k];
                        }
                        for (int k = 0; k < hidden; k++) {
                            g[j] += wh[j * hidden + k] * h[k];
                        }
                    }
                    for (int u = 0; u < hidden; u++) {
                        double i = 1 / (1 + Math.exp(-g[u]));
                        double f = 1 / (1 + Math.exp(-g[hidden + u]));
                        double gg = Math.tanh(g[2 * hidden + u]);
                        double o = 1 / (1 + Math.exp(-g[3 * hidden + u]));
                        c[u] = f * c[u] + i * gg;
                        h[u] = o * Math.tanh(c[u]);
                    }
                    outSeq[t][b] = h.clone();
                }
                for (int u = 0; u < hidden; u++) {
                    assertEquals(h[u], hN[(l * batch + b) * hidden + u], 1e-5, "h_n layer " + l);
                    assertEquals(c[u], cN[(l * batch + b) * hidden + u], 1e-5, "c_n layer " + l);
                }
            }
            seq = outSeq;
        }
        float[] y = out.output().toFloatArray();
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                for (int u = 0; u < hidden; u++) {
                    assertEquals(seq[t][b][u], y[(batchFirst ? b * steps + t : t * batch + b) * hidden + u], 1e-5, "output t=" + t);
                }
            }
        }
    }
}
