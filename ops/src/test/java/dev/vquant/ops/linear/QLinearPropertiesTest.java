package dev.vquant.ops.linear;

import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.RequantMode;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.GoldenFiles;
import dev.vquant.ops.testing.Oracles;
import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static quantized Linear: (1) within one quantization step of the dequantize -> float64 ->
 * quantize oracle (the documented bound: float32 requantization can only move a value lying
 * within float32 rounding of a .5 tie), (2) bit-identical on every installed engine to the same
 * operator on the reference kernels with that engine's rules, (3) independent of thread count.
 */
class QLinearPropertiesTest {

    @Property(tries = 60)
    void matchesOracleAndReference(@ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 90) int k,
                                   @ForAll @IntRange(min = 1, max = 70) int n, @ForAll boolean perChannel,
                                   @ForAll boolean relu, @ForAll long seed) {
        Rand r = new Rand(seed);
        QTensor x = r.activation(new int[]{m, k});
        QTensor w = r.weight(new int[]{n, k}, perChannel);
        float[] bias = r.nextBoolean() ? r.floats(n, -2f, 2f) : null;
        double outScale = r.scale(0.01, 0.5);
        int outZp = r.nextInt(0, 255);
        double[] ideal = Oracles.linear(x, w, bias, outScale);
        for (KernelBackend e : Engines.installed()) {
            QLinear op = QLinear.builder(w).bias(bias).output(outScale, outZp).relu(relu).threads(1).engine(e).build();
            int[] got = GoldenFiles.ints(op.forward(x, e));
            int[] expected = GoldenFiles.ints(op.forward(x, ReferenceBackend.withNumerics(e.numerics())));
            assertArrayEquals(expected, got, e.name() + " differs from the reference kernels with its rules");
            for (int i = 0; i < got.length; i++) {
                int want = Oracles.quantizeReal(ideal[i], outZp, relu ? outZp : 0);
                assertTrue(Math.abs(got[i] - want) <= 1, e.name() + " element " + i + ": " + got[i] + " vs oracle " + want
                        + " (real " + ideal[i] + ")");
            }
            QLinear threaded = QLinear.builder(w).bias(bias).output(outScale, outZp).relu(relu).threads(3).engine(e).build();
            assertArrayEquals(got, GoldenFiles.ints(threaded.forward(x, e)), e.name() + " depends on the thread count");
        }
    }

    @Property(tries = 15)
    void fixedPointStaysWithinOneStep(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 64) int k,
                                      @ForAll @IntRange(min = 1, max = 33) int n, @ForAll long seed) {
        Rand r = new Rand(seed);
        QTensor x = r.activation(new int[]{m, k});
        QTensor w = r.weight(new int[]{n, k}, r.nextBoolean());
        float[] bias = r.floats(n, -1f, 1f);
        double outScale = r.scale(0.05, 0.5);
        QLinear op = QLinear.builder(w).bias(bias).output(outScale, 100).requantMode(RequantMode.FIXED_POINT)
                .engine(Engines.reference()).build();
        int[] got = GoldenFiles.ints(op.forward(x, Engines.reference()));
        double[] ideal = Oracles.linear(x, w, bias, outScale);
        for (int i = 0; i < got.length; i++) {
            int want = Oracles.quantizeReal(ideal[i], 100, 0);
            assertTrue(Math.abs(got[i] - want) <= 1, "element " + i + ": " + got[i] + " vs " + want);
        }
    }
}
