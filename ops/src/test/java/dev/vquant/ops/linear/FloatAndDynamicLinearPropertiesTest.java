package dev.vquant.ops.linear;

import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.DynamicQParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic Linear: bit-identical on every engine to the reference kernels with that engine's rules,
 * and within the activation-quantization bound of float Linear on the dequantized weights:
 * {@code |y - y_float| <= (sx/2) * sum_k |w[j][k]| + 1e-4 * (1 + |y_float|)}. Float Linear: within
 * {@code 1e-4 * (1 + sum |x*w|)} of a float64 dot product on every engine.
 */
class FloatAndDynamicLinearPropertiesTest {

    @Property(tries = 50)
    void dynamicLinear(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 90) int k,
                       @ForAll @IntRange(min = 1, max = 70) int n, @ForAll boolean perChannel,
                       @ForAll boolean reduceRange, @ForAll long seed) {
        Rand r = new Rand(seed);
        float[] xs = r.floats(m * k, -3f, r.uniform(-1f, 4f));
        QTensor w = r.weight(new int[]{n, k}, perChannel);
        float[] bias = r.floats(n, -1f, 1f);
        FloatTensor x = FloatTensor.of(xs, m, k);
        for (KernelBackend e : Engines.installed()) {
            DynamicQLinear op = DynamicQLinear.builder(w).bias(bias).reduceRange(reduceRange).threads(2).engine(e).build();
            float[] got = op.forward(x, e).data();
            float[] expected = op.forward(x, ReferenceBackend.withNumerics(e.numerics())).data();
            DynamicQLinear serial = DynamicQLinear.builder(w).bias(bias).reduceRange(reduceRange).threads(1).engine(e).build();
            org.junit.jupiter.api.Assertions.assertArrayEquals(serial.forward(x, e).data(), got, e.name() + " depends on threads");
            for (int i = 0; i < got.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]),
                        e.name() + " element " + i + ": " + got[i] + " vs " + expected[i]);
            }
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : xs) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            boolean rr = reduceRange && e.numerics().honoursReduceRange();
            double sx = DynamicQParams.quint8(min, max, rr).scale();
            QParams wq = w.qparams();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = bias[j];
                    double absW = 0;
                    for (int kk = 0; kk < k; kk++) {
                        double wd = (w.intAt(j * k + kk) - wq.zeroPoint(j)) * wq.scale(j);
                        ref += xs[i * k + kk] * wd;
                        absW += Math.abs(wd);
                    }
                    double bound = sx / 2 * absW + 1e-4 * (1 + Math.abs(ref));
                    assertTrue(Math.abs(got[i * n + j] - ref) <= bound, e.name() + " (" + i + "," + j + "): " + got[i * n + j]
                            + " vs float " + ref + ", bound " + bound);
                }
            }
        }
    }

    @Property(tries = 40)
    void floatLinear(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 90) int k,
                     @ForAll @IntRange(min = 1, max = 150) int n, @ForAll boolean relu, @ForAll long seed) {
        Rand r = new Rand(seed);
        float[] xs = r.floats(m * k, -2f, 2f);
        float[] ws = r.floats(n * k, -1f, 1f);
        float[] bias = r.nextBoolean() ? r.floats(n, -1f, 1f) : null;
        for (KernelBackend e : Engines.installed()) {
            FloatLinear op = FloatLinear.builder(FloatTensor.of(ws, n, k)).bias(bias).relu(relu).threads(2).engine(e).build();
            float[] got = op.forward(FloatTensor.of(xs, m, k), e).data();
            for (int threads : new int[]{1, 3}) {
                FloatLinear other = FloatLinear.builder(FloatTensor.of(ws, n, k)).bias(bias).relu(relu).threads(threads).engine(e).build();
                org.junit.jupiter.api.Assertions.assertArrayEquals(got, other.forward(FloatTensor.of(xs, m, k), e).data(),
                        e.name() + ": float result depends on the thread count (" + threads + ")");
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = bias == null ? 0 : bias[j];
                    double abs = Math.abs(ref);
                    for (int kk = 0; kk < k; kk++) {
                        ref += (double) xs[i * k + kk] * ws[j * k + kk];
                        abs += Math.abs((double) xs[i * k + kk] * ws[j * k + kk]);
                    }
                    if (relu) {
                        ref = Math.max(ref, 0);
                    }
                    assertTrue(Math.abs(got[i * n + j] - ref) <= 1e-4 * (1 + abs), e.name() + " (" + i + "," + j + ")");
                }
            }
        }
    }
}
