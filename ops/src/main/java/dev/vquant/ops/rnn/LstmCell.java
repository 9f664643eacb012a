package dev.vquant.ops.rnn;

/**
 * The element-wise part of one LSTM step in float32, PyTorch's order of operations:
 * {@code gates = hh + ih} (PyTorch adds the input projection into the hidden one), gates split
 * {@code [i | f | g | o]} per batch row, {@code c' = f*c + i*g}, {@code h' = o * tanh(c')} with
 * {@code sigmoid(x) = f32(1 / f32(1 + f32(exp(-x))))}, the float32 order of PyTorch's scalar
 * sigmoid loop (which the gate chunks take: their rows are too short for its vector loop).
 * Transcendentals are {@link Math}'s rounded to float32, within an ulp of the C library's and of
 * Sleef's (PyTorch's vector loops, e.g. {@code tanh} of a contiguous cell state of 32 elements or
 * more), so results agree with PyTorch to about an ulp, bit-exact where those agree.
 */
final class LstmCell {
    private LstmCell() {
    }

    /**
     * @param gates  {@code [batch][4H]} hidden projection of this step (overwritten)
     * @param inputW input projections of all steps; this step's rows start at {@code inOffset}
     * @param h      {@code [batch][H]} hidden state, updated
     * @param c      {@code [batch][H]} cell state, updated
     */
    static void step(float[] gates, float[] inputW, int inOffset, int batch, int hidden, float[] h, float[] c) {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            int row = b * g4;
            for (int j = 0; j < hidden; j++) {
                float i = sigmoid(gates[row + j] + inputW[inOffset + row + j]);
                float f = sigmoid(gates[row + hidden + j] + inputW[inOffset + row + hidden + j]);
                float g = (float) Math.tanh(gates[row + 2 * hidden + j] + inputW[inOffset + row + 2 * hidden + j]);
                float o = sigmoid(gates[row + 3 * hidden + j] + inputW[inOffset + row + 3 * hidden + j]);
                int s = b * hidden + j;
                float cy = f * c[s] + i * g;
                c[s] = cy;
                h[s] = o * (float) Math.tanh(cy);
            }
        }
    }

    private static float sigmoid(float x) {
        float e = (float) Math.exp(-x);
        return 1f / (1f + e);
    }
}
