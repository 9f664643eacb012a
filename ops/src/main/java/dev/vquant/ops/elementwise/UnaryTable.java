package dev.vquant.ops.elementwise;

import dev.vquant.engine.QTensor;
import dev.vquant.ops.core.Parallel;

import java.util.function.IntUnaryOperator;

/**
 * A quint8 -> quint8 elementwise function with fixed input and output qparams has only 256
 * possible inputs: this tabulates it once per call and maps the tensor through the table, so the
 * per-element arithmetic is exactly the scalar definition and the pass costs one load per byte.
 */
final class UnaryTable {
    private static final int GRAIN = 1 << 15;

    private UnaryTable() {
    }

    /** {@code table[q] = f(q)} for {@code q} in 0..255, clamped into 0..255. */
    static byte[] build(IntUnaryOperator f) {
        byte[] t = new byte[256];
        for (int q = 0; q < 256; q++) {
            t[q] = (byte) Math.max(0, Math.min(255, f.applyAsInt(q)));
        }
        return t;
    }

    /** {@code out[i] = table[x[i]]}, split over {@code threads}. */
    static byte[] map(QTensor x, byte[] table, int threads) {
        return map(x, table, table, x.numel(), threads);
    }

    /**
     * {@code out[i] = head[x[i]]} for {@code i < split}, {@code tail[x[i]]} after: the two loops of
     * an ATen kernel whose vector and scalar forms round differently ({@link QuantArith}).
     */
    static byte[] map(QTensor x, byte[] head, byte[] tail, int split, int threads) {
        byte[] in = x.bytes();
        byte[] out = new byte[in.length];
        int t = in.length < GRAIN * 2 ? 1 : threads;
        Parallel.forRange(in.length, t, GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                out[i] = (i < split ? head : tail)[in[i] & 0xFF];
            }
        });
        return out;
    }

    /** Maps through ATen's vector-loop table up to {@link QuantArith#atenVectorEnd}, its scalar-loop table after. */
    static byte[] mapAten(QTensor x, byte[] vector, byte[] scalar, int threads) {
        return map(x, vector, scalar, QuantArith.atenVectorEnd(x.numel()), threads);
    }
}
