package dev.vquant.quant.models.bert;

import dev.vquant.ops.core.OutputArena;

/** Moves attention heads between {@code [B, S, heads * d]} and {@code [B, heads, S, d]} (HF's transpose_for_scores and its inverse). */
final class Heads {
    private Heads() {
    }

    /** {@code [B, S, heads * d] -> [B, heads, S, d]}. */
    static float[] split(float[] x, int b, int s, int heads, int d) {
        return move(x, b, s, heads, d, true);
    }

    /** {@code [B, heads, S, d] -> [B, S, heads * d]}. */
    static float[] merge(float[] x, int b, int s, int heads, int d) {
        return move(x, b, s, heads, d, false);
    }

    private static float[] move(float[] x, int b, int s, int heads, int d, boolean split) {
        float[] out = OutputArena.floats(x.length);
        int h = heads * d;
        for (int bi = 0; bi < b; bi++) {
            for (int si = 0; si < s; si++) {
                for (int hi = 0; hi < heads; hi++) {
                    int tokenMajor = (bi * s + si) * h + hi * d;
                    int headMajor = ((bi * heads + hi) * s + si) * d;
                    System.arraycopy(x, split ? tokenMajor : headMajor, out, split ? headMajor : tokenMajor, d);
                }
            }
        }
        return out;
    }
}
