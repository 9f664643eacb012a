package dev.vquant.ops.elementwise;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.EngineNumerics.Family;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.Parallel;

import java.util.function.IntUnaryOperator;

/**
 * A quint8 -> quint8 elementwise function with fixed input and output qparams has only 256
 * possible inputs: this tabulates it (once per input qparams, see {@link Cache}) and maps the
 * tensor through the table, so the per-element arithmetic is exactly the scalar definition and the
 * pass costs one load per byte. The output array comes from {@link OutputArena}.
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
        byte[] out = OutputArena.bytes(in.length);
        int t = in.length < GRAIN * 2 ? 1 : threads;
        if (Parallel.inline(in.length, t, GRAIN)) { // one range: no capturing lambda per call
            map(in, out, head, tail, split, 0, in.length);
        } else {
            Parallel.forRange(in.length, t, GRAIN, (s, e) -> map(in, out, head, tail, split, s, e));
        }
        return out;
    }

    private static void map(byte[] in, byte[] out, byte[] head, byte[] tail, int split, int s, int e) {
        for (int i = s; i < e; i++) {
            out[i] = (i < split ? head : tail)[in[i] & 0xFF];
        }
    }

    /** Maps through ATen's vector-loop table up to {@link QuantArith#atenVectorEnd}, its scalar-loop table after. */
    static byte[] mapAten(QTensor x, byte[] vector, byte[] scalar, int threads) {
        return map(x, vector, scalar, QuantArith.atenVectorEnd(x.numel()), threads);
    }

    /**
     * The tables of one input's qparams under one numerics family: {@code head} for elements
     * before the split, {@code tail} after (the same table when the kernel has one loop).
     *
     * @param head the table of the first elements (ATen's vector loop)
     * @param tail the table of the rest (ATen's scalar loop)
     * @param aten whether the split is {@link QuantArith#atenVectorEnd}; else {@code head} is used throughout
     */
    record Tables(byte[] head, byte[] tail, boolean aten) {
        /** One table for every element. */
        static Tables single(byte[] table) {
            return new Tables(table, table, false);
        }

        /** ATen's vector-loop and scalar-loop tables. */
        static Tables aten(byte[] vector, byte[] scalar) {
            return new Tables(vector, scalar, true);
        }

        /** {@code x} mapped through these tables, split over {@code threads}. */
        byte[] map(QTensor x, int threads) {
            return aten ? mapAten(x, head, tail, threads) : UnaryTable.map(x, head, threads);
        }
    }

    /**
     * Remembers the tables of the last (numerics family, input scale, input zero point), since a
     * static model feeds an operator the same input qparams on every call: a call then builds no
     * table. One volatile immutable entry: concurrent callers at worst build the same tables twice.
     */
    static final class Cache {
        /** Builds the tables of one family and input qparams. */
        @FunctionalInterface
        interface Factory {
            Tables build(Family family, float scale, int zeroPoint);
        }

        private record Entry(Family family, double scale, int zeroPoint, Tables tables) {
        }

        private final Factory factory;
        private volatile Entry last;

        /** A cache building with {@code factory} (given once, so that a call allocates no lambda). */
        Cache(Factory factory) {
            this.factory = factory;
        }

        /** The tables for {@code family} and the input qparams {@code q}, built when they differ from the last call's. */
        Tables get(Family family, QParams.PerTensor q) {
            Entry e = last;
            if (e != null && e.family == family && e.scale == q.scale() && e.zeroPoint == q.zeroPoint()) {
                return e.tables;
            }
            Tables t = factory.build(family, (float) q.scale(), q.zeroPoint());
            last = new Entry(family, q.scale(), q.zeroPoint(), t);
            return t;
        }
    }
}
