package dev.vquant.ops.rnn;

import dev.vquant.ops.math.ScalarMath;
import dev.vquant.ops.math.VectorMath;
import jdk.incubator.vector.FloatVector;

/**
 * The element-wise part of one LSTM step in float32, PyTorch's order of operations:
 * {@code gates = hh + ih} (PyTorch adds the input projection into the hidden one), gates split
 * {@code [i | f | g | o]} per batch row, {@code c' = f*c + i*g} (two products, then the sum: no
 * fused multiply-add), {@code h' = o * tanh(c')} with {@code sigmoid(x) = 1 / (1 + exp(-x))}.
 * The transcendentals are {@link VectorMath}'s (at most 3 ulps; PyTorch's come from the C library
 * or Sleef, about 1 ulp, so results agree with PyTorch within a few ulps: the qlstm_dynamic golden
 * cases stay within their 1e-6), vectorized over the hidden units; the
 * units past the last full vector take {@link ScalarMath}'s twins, which equal the vector lanes bit
 * for bit, so {@link #stepScalar} (element by element) gives the same bits as {@link #step}.
 *
 * <p>{@link #step} works in place in {@code gates}, one pass per stage: the sums, then the
 * activations through {@link VectorMath}'s array loops (sigmoid of {@code i|f}, tanh of
 * {@code g}, sigmoid of {@code o}), {@code c'} (kept in the {@code g} slot too), its tanh by the
 * same array loop, and {@code h'}. Every transcendental runs inside VectorMath's own loops: C2
 * failed to inline {@code VectorMath.tanh} into loops of this class depending on compile order
 * (one loop with all five transcendentals passed its inlining node budget; a loop of its own for
 * one tanh was still left out-of-line), and a vector passed to a method left out-of-line is boxed
 * on the heap (measured: 14% of the dynamic LSTM's time, then ~6 KB per step).
 */
final class LstmCell {
    private static final int LANES = VectorMath.LANES;

    private LstmCell() {
    }

    /**
     * @param gates  {@code [batch][4H]} hidden projection of this step; overwritten (work space)
     * @param inputW input projections of all steps; this step's rows start at {@code inOffset}
     * @param h      {@code [batch][H]} hidden state, updated
     * @param c      {@code [batch][H]} cell state, updated
     */
    static void step(float[] gates, float[] inputW, int inOffset, int batch, int hidden, float[] h, float[] c) {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            int row = b * g4;
            int g = row + 2 * hidden;
            int s = b * hidden;
            add(gates, row, inputW, inOffset + row, g4);
            VectorMath.sigmoid(gates, row, gates, row, 2 * hidden);
            VectorMath.tanh(gates, g, gates, g, hidden);
            VectorMath.sigmoid(gates, row + 3 * hidden, gates, row + 3 * hidden, hidden);
            cellState(gates, row, hidden, c, s);
            VectorMath.tanh(gates, g, gates, g, hidden);
            hiddenState(gates, row, hidden, h, s);
        }
    }

    /** {@code a[ao + j] += x[xo + j]} for {@code j < n}, float32 sums. */
    private static void add(float[] a, int ao, float[] x, int xo, int n) {
        int j = 0;
        for (int bound = VectorMath.SPECIES.loopBound(n); j < bound; j += LANES) {
            load(a, ao + j).add(load(x, xo + j)).intoArray(a, ao + j);
        }
        for (; j < n; j++) {
            a[ao + j] += x[xo + j];
        }
    }

    /** {@code c' = f*c + i*g} of one batch row from its activated gates at {@code row}, into {@code c} and the {@code g} slot. */
    private static void cellState(float[] act, int row, int hidden, float[] c, int s) {
        int g = row + 2 * hidden;
        int j = 0;
        for (int bound = VectorMath.SPECIES.loopBound(hidden); j < bound; j += LANES) {
            FloatVector cy = load(act, row + hidden + j).mul(load(c, s + j)).add(load(act, row + j).mul(load(act, g + j)));
            cy.intoArray(c, s + j);
            cy.intoArray(act, g + j);
        }
        for (; j < hidden; j++) {
            float cy = act[row + hidden + j] * c[s + j] + act[row + j] * act[g + j];
            c[s + j] = cy;
            act[g + j] = cy;
        }
    }

    /** {@code h' = o * tanh(c')} of one batch row, {@code tanh(c')} in the {@code g} slot. */
    private static void hiddenState(float[] act, int row, int hidden, float[] h, int s) {
        int g = row + 2 * hidden;
        int o = row + 3 * hidden;
        int j = 0;
        for (int bound = VectorMath.SPECIES.loopBound(hidden); j < bound; j += LANES) {
            load(act, o + j).mul(load(act, g + j)).intoArray(h, s + j);
        }
        for (; j < hidden; j++) {
            h[s + j] = act[o + j] * act[g + j];
        }
    }

    /**
     * The scalar twin of {@link #step}: every hidden unit by {@link ScalarMath}; the same bits.
     * Leaves {@code gates} unchanged.
     */
    static void stepScalar(float[] gates, float[] inputW, int inOffset, int batch, int hidden, float[] h, float[] c) {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                unit(gates, b * g4, inputW, inOffset + b * g4, hidden, j, h, c, b * hidden);
            }
        }
    }

    private static void unit(float[] gates, int row, float[] inputW, int in, int hidden, int j, float[] h, float[] c, int s) {
        float i = ScalarMath.sigmoid(gates[row + j] + inputW[in + j]);
        float f = ScalarMath.sigmoid(gates[row + hidden + j] + inputW[in + hidden + j]);
        float g = ScalarMath.tanh(gates[row + 2 * hidden + j] + inputW[in + 2 * hidden + j]);
        float o = ScalarMath.sigmoid(gates[row + 3 * hidden + j] + inputW[in + 3 * hidden + j]);
        float cy = f * c[s + j] + i * g;
        c[s + j] = cy;
        h[s + j] = o * ScalarMath.tanh(cy);
    }

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(VectorMath.SPECIES, a, offset);
    }
}
