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
 */
final class LstmCell {
    private static final int LANES = VectorMath.LANES;

    private LstmCell() {
    }

    /**
     * @param gates  {@code [batch][4H]} hidden projection of this step (read only)
     * @param inputW input projections of all steps; this step's rows start at {@code inOffset}
     * @param h      {@code [batch][H]} hidden state, updated
     * @param c      {@code [batch][H]} cell state, updated
     */
    static void step(float[] gates, float[] inputW, int inOffset, int batch, int hidden, float[] h, float[] c) {
        int g4 = 4 * hidden;
        int bound = VectorMath.SPECIES.loopBound(hidden);
        for (int b = 0; b < batch; b++) {
            int row = b * g4;
            int in = inOffset + row;
            int s = b * hidden;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector i = VectorMath.sigmoid(load(gates, row + j).add(load(inputW, in + j)));
                FloatVector f = VectorMath.sigmoid(load(gates, row + hidden + j).add(load(inputW, in + hidden + j)));
                FloatVector g = VectorMath.tanh(load(gates, row + 2 * hidden + j).add(load(inputW, in + 2 * hidden + j)));
                FloatVector o = VectorMath.sigmoid(load(gates, row + 3 * hidden + j).add(load(inputW, in + 3 * hidden + j)));
                FloatVector cy = f.mul(load(c, s + j)).add(i.mul(g));
                cy.intoArray(c, s + j);
                o.mul(VectorMath.tanh(cy)).intoArray(h, s + j);
            }
            for (; j < hidden; j++) {
                unit(gates, row, inputW, in, hidden, j, h, c, s);
            }
        }
    }

    /** The scalar twin of {@link #step}: every hidden unit by {@link ScalarMath}; the same bits. */
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
