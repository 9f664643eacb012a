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
 * <p>{@link #step} runs four loops per batch row, each with at most one transcendental (sigmoid
 * of {@code i|f}, tanh of {@code g}, sigmoid of {@code o}, then the state update with tanh of
 * {@code c'}), writing the activated gates back into {@code gates}: one loop holding all five
 * transcendentals is past C2's inlining node budget, and the vectors of a call left out-of-line
 * are boxed on the heap (measured: the cell took 14% of the dynamic LSTM, allocating per step).
 */
final class LstmCell {
    private static final int LANES = VectorMath.LANES;

    private LstmCell() {
    }

    /**
     * @param gates  {@code [batch][4H]} hidden projection of this step; overwritten with the activated gates
     * @param inputW input projections of all steps; this step's rows start at {@code inOffset}
     * @param h      {@code [batch][H]} hidden state, updated
     * @param c      {@code [batch][H]} cell state, updated
     */
    static void step(float[] gates, float[] inputW, int inOffset, int batch, int hidden, float[] h, float[] c) {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            int row = b * g4;
            int in = inOffset + row;
            sigmoidOfSum(gates, row, inputW, in, 2 * hidden);
            tanhOfSum(gates, row + 2 * hidden, inputW, in + 2 * hidden, hidden);
            sigmoidOfSum(gates, row + 3 * hidden, inputW, in + 3 * hidden, hidden);
            update(gates, row, hidden, h, c, b * hidden);
        }
    }

    /** {@code a[ao + j] = sigmoid(a[ao + j] + x[xo + j])} for {@code j < n}. */
    private static void sigmoidOfSum(float[] a, int ao, float[] x, int xo, int n) {
        int j = 0;
        for (int bound = VectorMath.SPECIES.loopBound(n); j < bound; j += LANES) {
            VectorMath.sigmoid(load(a, ao + j).add(load(x, xo + j))).intoArray(a, ao + j);
        }
        for (; j < n; j++) {
            a[ao + j] = ScalarMath.sigmoid(a[ao + j] + x[xo + j]);
        }
    }

    /** {@code a[ao + j] = tanh(a[ao + j] + x[xo + j])} for {@code j < n}. */
    private static void tanhOfSum(float[] a, int ao, float[] x, int xo, int n) {
        int j = 0;
        for (int bound = VectorMath.SPECIES.loopBound(n); j < bound; j += LANES) {
            VectorMath.tanh(load(a, ao + j).add(load(x, xo + j))).intoArray(a, ao + j);
        }
        for (; j < n; j++) {
            a[ao + j] = ScalarMath.tanh(a[ao + j] + x[xo + j]);
        }
    }

    /** {@code c = f*c + i*g, h = o * tanh(c)} from the activated gates of one batch row at {@code row}. */
    private static void update(float[] act, int row, int hidden, float[] h, float[] c, int s) {
        int j = 0;
        for (int bound = VectorMath.SPECIES.loopBound(hidden); j < bound; j += LANES) {
            FloatVector i = load(act, row + j);
            FloatVector f = load(act, row + hidden + j);
            FloatVector g = load(act, row + 2 * hidden + j);
            FloatVector o = load(act, row + 3 * hidden + j);
            FloatVector cy = f.mul(load(c, s + j)).add(i.mul(g));
            cy.intoArray(c, s + j);
            o.mul(VectorMath.tanh(cy)).intoArray(h, s + j);
        }
        for (; j < hidden; j++) {
            float cy = act[row + hidden + j] * c[s + j] + act[row + j] * act[row + 2 * hidden + j];
            c[s + j] = cy;
            h[s + j] = act[row + 3 * hidden + j] * ScalarMath.tanh(cy);
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
