package dev.vquant.ops.rnn;

import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LSTM against an independent float64 implementation of PyTorch's equations (gate order i, f, g,
 * o): the float twin within 1e-4, the dynamically quantized one within 0.1 (activation
 * quantization noise through a few steps, at weight scale 0.004); the quantized LSTM bit-identical
 * on every engine to the reference kernels with that engine's rules; batch-first the transpose
 * of sequence-first.
 */
class LstmPropertiesTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Plain float64 LSTM, seq-first; returns output then h_n then c_n flattened. */
    private static double[][] oracle(float[] x, int steps, int batch, int in, List<float[]> wIh, List<float[]> wHh,
                                     List<float[]> bIh, List<float[]> bHh, int hidden) {
        double[] seq = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            seq[i] = x[i];
        }
        int layers = wIh.size();
        double[] hN = new double[layers * batch * hidden];
        double[] cN = new double[hN.length];
        int inF = in;
        for (int l = 0; l < layers; l++) {
            double[] h = new double[batch * hidden];
            double[] c = new double[batch * hidden];
            double[] out = new double[steps * batch * hidden];
            for (int t = 0; t < steps; t++) {
                double[] hNew = new double[batch * hidden];
                for (int b = 0; b < batch; b++) {
                    double[] gates = new double[4 * hidden];
                    for (int j = 0; j < 4 * hidden; j++) {
                        double v = bIh.get(l)[j] + bHh.get(l)[j];
                        for (int k = 0; k < inF; k++) {
                            v += wIh.get(l)[j * inF + k] * seq[(t * batch + b) * inF + k];
                        }
                        for (int k = 0; k < hidden; k++) {
                            v += wHh.get(l)[j * hidden + k] * h[b * hidden + k];
                        }
                        gates[j] = v;
                    }
                    for (int j = 0; j < hidden; j++) {
                        double ig = sigmoid(gates[j]);
                        double fg = sigmoid(gates[hidden + j]);
                        double gg = Math.tanh(gates[2 * hidden + j]);
                        double og = sigmoid(gates[3 * hidden + j]);
                        double cy = fg * c[b * hidden + j] + ig * gg;
                        c[b * hidden + j] = cy;
                        hNew[b * hidden + j] = og * Math.tanh(cy);
                    }
                }
                h = hNew;
                System.arraycopy(h, 0, out, t * batch * hidden, h.length);
            }
            System.arraycopy(h, 0, hN, l * batch * hidden, h.length);
            System.arraycopy(c, 0, cN, l * batch * hidden, c.length);
            seq = out;
            inF = hidden;
        }
        return new double[][]{seq, hN, cN};
    }

    @Property(tries = 20)
    void lstm(@ForAll @IntRange(min = 1, max = 2) int layers, @ForAll @IntRange(min = 1, max = 5) int steps,
              @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 20) int in,
              @ForAll @IntRange(min = 1, max = 12) int hidden, @ForAll long seed) {
        Rand r = new Rand(seed);
        List<QTensor> qIh = new ArrayList<>();
        List<QTensor> qHh = new ArrayList<>();
        List<FloatTensor> fIh = new ArrayList<>();
        List<FloatTensor> fHh = new ArrayList<>();
        List<float[]> wIh = new ArrayList<>();
        List<float[]> wHh = new ArrayList<>();
        List<float[]> bIh = new ArrayList<>();
        List<float[]> bHh = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int inF = l == 0 ? in : hidden;
            for (int which = 0; which < 2; which++) {
                int cols = which == 0 ? inF : hidden;
                byte[] q = r.qint8(4 * hidden * cols);
                float[] deq = new float[q.length];
                for (int i = 0; i < q.length; i++) {
                    deq[i] = q[i] * 0.004f;
                }
                QTensor qt = QTensor.of(q, new int[]{4 * hidden, cols}, QParams.perTensor(0.004f, 0, DType.QINT8));
                (which == 0 ? qIh : qHh).add(qt);
                (which == 0 ? fIh : fHh).add(FloatTensor.of(deq, 4 * hidden, cols));
                (which == 0 ? wIh : wHh).add(deq);
            }
            bIh.add(r.floats(4 * hidden, -0.5f, 0.5f));
            bHh.add(r.floats(4 * hidden, -0.5f, 0.5f));
        }
        float[] x = r.floats(steps * batch * in, -1f, 1f);
        double[][] want = oracle(x, steps, batch, in, wIh, wHh, bIh, bHh, hidden);
        FloatTensor xt = FloatTensor.of(x, steps, batch, in);
        for (KernelBackend e : Engines.installed()) {
            Lstm floatLstm = Lstm.floating(fIh, fHh).bias(bIh, bHh).threads(1).build();
            Lstm.Result fr = floatLstm.forward(xt, null, null, e);
            close(want, fr, 1e-4, e.name() + " float");
            Lstm q = Lstm.dynamicQuantized(qIh, qHh).bias(bIh, bHh).threads(2).build();
            Lstm.Result qr = q.forward(xt, null, null, e);
            close(want, qr, 0.1, e.name() + " dynamic");
            Lstm.Result expected = q.forward(xt, null, null, ReferenceBackend.withNumerics(e.numerics()));
            assertArrayEquals(expected.output().data(), qr.output().data(), e.name() + " vs reference kernels");
            assertArrayEquals(expected.c().data(), qr.c().data(), e.name() + " cell state vs reference kernels");
            float[] bf = new float[x.length];
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(x, (t * batch + b) * in, bf, (b * steps + t) * in, in);
                }
            }
            Lstm.Result br = Lstm.dynamicQuantized(qIh, qHh).bias(bIh, bHh).batchFirst(true).threads(2).build()
                    .forward(FloatTensor.of(bf, batch, steps, in), null, null, e);
            assertArrayEquals(new int[]{batch, steps, hidden}, br.output().shape());
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < hidden; j++) {
                        assertEquals(qr.output().data()[(t * batch + b) * hidden + j],
                                br.output().data()[(b * steps + t) * hidden + j], "batch-first (" + b + "," + t + ")");
                    }
                }
            }
            assertArrayEquals(qr.h().data(), br.h().data());
            if (layers == 1 && steps > 1) {
                // the float twin over T steps equals T-1 steps, then one more step from the returned states
                Lstm.Result head = floatLstm.forward(FloatTensor.of(java.util.Arrays.copyOf(x, (steps - 1) * batch * in),
                        steps - 1, batch, in), null, null, e);
                Lstm.Result tail = floatLstm.forward(FloatTensor.of(java.util.Arrays.copyOfRange(x, (steps - 1) * batch * in,
                        x.length), 1, batch, in), head.h(), head.c(), e);
                // float GEMM rounding may depend on the row count (tiles vs GEMV), so only the reference is exact
                float tol = "reference".equals(e.name()) ? 0f : 1e-5f;
                assertArrayEquals(fr.h().data(), tail.h().data(), tol, e.name() + " h0/c0 continuation");
                assertArrayEquals(fr.c().data(), tail.c().data(), tol, e.name() + " h0/c0 continuation");
            }
        }
    }

    private static void close(double[][] want, Lstm.Result got, double tol, String what) {
        float[][] g = {got.output().data(), got.h().data(), got.c().data()};
        for (int a = 0; a < 3; a++) {
            assertEquals(want[a].length, g[a].length, what);
            for (int i = 0; i < g[a].length; i++) {
                assertTrue(Math.abs(want[a][i] - g[a][i]) <= tol, what + " part " + a + " element " + i + ": " + g[a][i]
                        + " vs " + want[a][i]);
            }
        }
    }
}
