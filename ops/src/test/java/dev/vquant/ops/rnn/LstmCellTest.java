package dev.vquant.ops.rnn;

import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vectorized LSTM cell equals its element-by-element twin bit for bit (any hidden size: full
 * vectors and tails), and stays within float rounding of the float64 cell.
 */
class LstmCellTest {

    @Property(tries = 200)
    void vectorCellEqualsScalarTwinAndFloat64(@ForAll @IntRange(min = 1, max = 3) int batch,
                                              @ForAll @IntRange(min = 1, max = 90) int hidden,
                                              @ForAll @IntRange(min = 0, max = 2) int step, @ForAll long seed) {
        Rand r = new Rand(seed);
        float scale = r.uniform(0.5f, 12f);
        float[] gates = r.floats(batch * 4 * hidden, -scale, scale);
        float[] inputW = r.floats((step + 1) * batch * 4 * hidden, -scale, scale);
        float[] h = r.floats(batch * hidden, -1f, 1f);
        float[] c = r.floats(batch * hidden, -3f, 3f);
        float[] h2 = h.clone();
        float[] c2 = c.clone();
        float[] cOld = c.clone();
        int off = step * batch * 4 * hidden;
        float[] original = gates.clone();
        LstmCell.stepScalar(gates, inputW, off, batch, hidden, h2, c2);
        assertArrayEquals(original, gates, "stepScalar leaves the gates, seed " + seed);
        LstmCell.step(gates, inputW, off, batch, hidden, h, c);
        gates = original;
        assertArrayEquals(h2, h, "h, seed " + seed);
        assertArrayEquals(c2, c, "c, seed " + seed);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                int row = b * 4 * hidden;
                double xi = (double) gates[row + j] + inputW[off + row + j];
                double xf = (double) gates[row + hidden + j] + inputW[off + row + hidden + j];
                double xg = (double) gates[row + 2 * hidden + j] + inputW[off + row + 2 * hidden + j];
                double xo = (double) gates[row + 3 * hidden + j] + inputW[off + row + 3 * hidden + j];
                double i = sig(xi);
                double f = sig(xf);
                double g = Math.tanh(xg);
                double o = sig(xo);
                int s = b * hidden + j;
                double cy = f * cOld[s] + i * g;
                double hy = o * Math.tanh(cy);
                // First-order worst-case error bounds, u = 2^-24: the float32 gate sum is off by
                // <= u|x|, scaled by the activation's slope; sigmoid/tanh are within 3 ulps (<= 6u
                // relative); each product and the sum round once.
                double ei = gateError(i, xi, i * (1 - i));
                double ef = gateError(f, xf, f * (1 - f));
                double eo = gateError(o, xo, o * (1 - o));
                double eg = gateError(g, xg, 1 - g * g);
                double ec = ef * Math.abs(cOld[s]) + Math.abs(i) * eg + Math.abs(g) * ei
                        + U * (Math.abs(f * cOld[s]) + Math.abs(i * g)) + U * Math.abs(cy);
                double tc = Math.tanh(cy);
                double eh = eo * Math.abs(tc) + o * (6 * U * Math.abs(tc) + (1 - tc * tc) * ec) + U * Math.abs(hy);
                assertTrue(Math.abs(c[s] - cy) <= 1.1 * ec + 1e-30, "c[" + s + "] " + c[s] + " vs " + cy + ", seed " + seed);
                assertTrue(Math.abs(h[s] - hy) <= 1.1 * eh + 1e-30, "h[" + s + "] " + h[s] + " vs " + hy + ", seed " + seed);
            }
        }
    }

    private static final double U = 0x1p-24;

    /** The bound on a float32 activation {@code value} of the float32 sum {@code x}, whose slope there is {@code slope}. */
    private static double gateError(double value, double x, double slope) {
        return 6 * U * Math.abs(value) + U * Math.abs(x) * slope;
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
