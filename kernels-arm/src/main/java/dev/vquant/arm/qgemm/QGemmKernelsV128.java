package dev.vquant.arm.qgemm;

import dev.vquant.arm.ArmBackend;
import dev.vquant.arm.output.OutputStages;
import dev.vquant.arm.output.RowOutput;
import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.Requantization;

/**
 * The qnnpack engine's int8 GEMM: weights packed once ({@link PackedQGemmV128}), full 8-bit
 * activations, exact int32 accumulation for every K ({@link QGemm4x8c4V128}), batch 1 on
 * {@link QGemv1x8c4V128} (cache-resident weights) or the byte-streaming {@link QGemv1x8c2V128},
 * and the output stage fused per 4-row block: the micro-kernels leave a block of raw accumulators in an L1-sized per-thread tile,
 * {@link QGemmEpilogueV128} makes them exact and the {@link RowOutput} turns them into the output
 * right away, so no int32 matrix goes through memory.
 *
 * <p>Batch 1 vs float, and why: the Vector API has no widening multiply-accumulate (NEON's
 * SMLAL/SDOT, x86's vpmaddwd/vpdpbusd), so each 16-bit multiply of 8 products costs two more
 * operations per int lane to accumulate exactly; at 128 bits that is ~2 MACs per ALU operation
 * against float's 4 per FMA. int8 wins where weight traffic dominates (batch 1 with large weights)
 * and roughly ties float in compute-bound GEMM.
 *
 * <p>Blocking: columns are processed in chunks whose 16-bit panels fit in ~192 KiB (so they stay
 * in L2 while every 4-row block of A passes over them); each 4-row block of A is packed
 * (signed K-pairs of {@code a - 127}, plus row sums) once per chunk into per-thread scratch.
 *
 * <p>Thread-safe: packed weights are immutable, and all mutable state (packed A, tile, output
 * stages) is per-thread scratch, reused across calls.
 */
public final class QGemmKernelsV128 implements QGemmKernels {
    private static final int NR = PackedQGemmV128.NR;
    private static final int MR = QGemm4x8c4V128.MR;
    /** Bytes of 16-bit weight panels per column chunk (L2 blocking). */
    private static final int CHUNK_BYTES = 192 * 1024;

    /** Creates the kernels; per-thread scratch is allocated on each thread's first call. */
    public QGemmKernelsV128() {
    }

    /**
     * Largest 16-bit panel size for which batch 1 reads the 16-bit panels: below it the weights
     * stay in the last-level cache and batch 1 is ALU-bound (the 16-bit kernel saves two widenings
     * per 16 products); above it they stream from DRAM and the byte panels halve the traffic.
     */
    private static final long WIDE_GEMV_BYTES = 8L << 20;
    /** Per-thread budget for packing all of A once per call (ints); larger A is packed per column chunk. */
    private static final long PACKED_A_INTS = 4L << 20;

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** One thread's reusable buffers. */
    private static final class Scratch {
        final OutputStages stages = new OutputStages();
        int[] rowSums = new int[MR];
        int[] packedA = new int[0];
        int[] tile = new int[0];
        int[] high = new int[0];

        int[] rowSums(int size) {
            if (rowSums.length < size) {
                rowSums = new int[size];
            }
            return rowSums;
        }

        int[] packedA(int size) {
            if (packedA.length < size) {
                packedA = new int[size];
            }
            return packedA;
        }

        /** Ensures {@link #tile} and {@link #high} hold {@code size} ints. */
        void tiles(int size) {
            if (tile.length < size) {
                tile = new int[size];
                high = new int[size];
            }
        }
    }

    @Override
    public PackedQGemmV128 pack(byte[] w, int n, int k, int[] zeroPoints) {
        if (w == null) {
            throw new IllegalArgumentException("weight array must not be null");
        }
        KernelArgs.checkPositive("n (output channels)", n);
        KernelArgs.checkPositive("k (reduction length)", k);
        if ((long) n * k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("weight matrix " + n + "x" + k + " has more than 2^31-1 elements");
        }
        KernelArgs.checkMatrix("weights", w.length, 0, n, k, k);
        KernelArgs.checkWeightZeroPoints(zeroPoints, n);
        return new PackedQGemmV128(w, n, k, zeroPoints);
    }

    @Override
    public void runInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                         int nEnd, int[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        run(a, aOffset, lda, m, aZeroPoint, own(w), nStart, nEnd, scratch.get().stages.int32(c), cOffset, ldc);
    }

    @Override
    public void runRequantize(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                              int nEnd, Requantization rq, byte[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        assert rq.channels() == w.n();
        run(a, aOffset, lda, m, aZeroPoint, own(w), nStart, nEnd, scratch.get().stages.requantize(rq, c), cOffset, ldc);
    }

    @Override
    public void runFloat(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                         int nEnd, FloatOutput out, float[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        assert out.channels() == w.n();
        run(a, aOffset, lda, m, aZeroPoint, own(w), nStart, nEnd, scratch.get().stages.toFloat(out, c), cOffset, ldc);
    }

    /** The weights as this engine's layout (the cast every call needs): packed for qnnpack by this class. */
    private static PackedQGemmV128 own(PackedQGemmWeights w) {
        KernelArgs.checkPackedFor(w, ArmBackend.NAME);
        if (!(w instanceof PackedQGemmV128 p)) {
            throw new IllegalArgumentException("weights are marked '" + ArmBackend.NAME + "' but were not packed by "
                    + QGemmKernelsV128.class.getSimpleName() + ": " + w.getClass().getName());
        }
        return p;
    }

    private void run(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmV128 p, int nStart, int nEnd,
                     RowOutput out, int cOffset, int ldc) {
        if (m == 0 || nStart == nEnd) {
            return;
        }
        Scratch s = scratch.get();
        int panelStart = nStart / NR;
        int panelEnd = (nEnd + NR - 1) / NR;
        if (m == 1) {
            gemv(a, aOffset, aZeroPoint, p, nStart, nEnd, out, cOffset, s, panelStart, panelEnd);
            return;
        }
        int wp = p.widePairs;
        int panelLen = wp * 2 * NR;
        int chunkPanels = Math.max(1, CHUNK_BYTES / (2 * panelLen));
        int blocks = (m + MR - 1) / MR;
        // A is packed once per call when it fits the scratch budget, else once per column chunk
        boolean packOnce = (long) blocks * MR * wp <= PACKED_A_INTS;
        int[] ap = s.packedA(packOnce ? blocks * MR * wp : MR * wp);
        int[] rowSums = s.rowSums(packOnce ? blocks * MR : MR);
        if (packOnce) {
            for (int b = 0; b < blocks; b++) {
                int i0 = b * MR;
                packRowsSigned(a, aOffset + i0 * lda, lda, Math.min(MR, m - i0), MR, p.k, wp, ap, i0 * wp, rowSums, i0);
            }
        }
        s.tiles(MR * Math.min(chunkPanels, panelEnd - panelStart) * NR);
        int[] tile = s.tile;
        int[] high = s.high;
        short[] wide = p.widePanels();
        for (int cp = panelStart; cp < panelEnd; cp += chunkPanels) {
            int cpEnd = Math.min(panelEnd, cp + chunkPanels);
            int ldt = (cpEnd - cp) * NR;
            int colLo = Math.max(nStart, cp * NR);
            int colHi = Math.min(nEnd, cpEnd * NR);
            for (int i0 = 0; i0 < m; i0 += MR) {
                int rows = Math.min(MR, m - i0);
                int apOff = packOnce ? i0 * wp : 0;
                int sumOff = packOnce ? i0 : 0;
                if (!packOnce) {
                    packRowsSigned(a, aOffset + i0 * lda, lda, rows, MR, p.k, wp, ap, 0, rowSums, 0);
                }
                for (int pp = cp; pp < cpEnd; pp++) {
                    QGemm4x8c4V128.run(ap, apOff, wp, wide, pp * panelLen, tile, high, (pp - cp) * NR, ldt);
                }
                for (int r = 0; r < rows; r++) {
                    QGemmEpilogueV128.rowSigned(tile, high, r * ldt, ldt, rowSums[sumOff + r], wp / 2, aZeroPoint,
                            p.colZeroPoint, p.colCorrection, cp * NR);
                    out.row(tile, r * ldt + colLo - cp * NR, colLo, colHi - colLo, cOffset + (i0 + r) * ldc + colLo);
                }
            }
        }
    }

    private static void gemv(byte[] a, int aOffset, int aZeroPoint, PackedQGemmV128 p, int nStart, int nEnd,
                             RowOutput out, int cOffset, Scratch s, int panelStart, int panelEnd) {
        int[] rowSums = s.rowSums(1);
        s.tiles((panelEnd - panelStart) * NR);
        int[] tile = s.tile;
        int len = (panelEnd - panelStart) * NR;
        if (2L * p.panels * p.widePairs * 2 * NR <= WIDE_GEMV_BYTES) {
            int wp = p.widePairs;
            int[] ap = s.packedA(wp);
            packRowsSigned(a, aOffset, 0, 1, 1, p.k, wp, ap, 0, rowSums, 0);
            short[] wide = p.widePanels();
            for (int pp = panelStart; pp < panelEnd; pp++) {
                QGemv1x8c4V128.run(ap, wp, wide, pp * wp * 2 * NR, tile, s.high, (pp - panelStart) * NR);
            }
            QGemmEpilogueV128.rowSigned(tile, s.high, 0, len, rowSums[0], wp / 2, aZeroPoint, p.colZeroPoint,
                    p.colCorrection, panelStart * NR);
        } else {
            int kp = p.kPairs;
            int[] ap = s.packedA(kp);
            packRows(a, aOffset, p.k, kp, ap, rowSums);
            for (int pp = panelStart; pp < panelEnd; pp++) {
                QGemv1x8c2V128.run(ap, kp, p.data, pp * kp * 2 * NR, tile, s.high, (pp - panelStart) * NR);
            }
            QGemmEpilogueV128.row(tile, s.high, 0, len, rowSums[0], aZeroPoint, p.rowFactor, p.colCorrection,
                    panelStart * NR);
        }
        out.row(tile, nStart - panelStart * NR, nStart, nEnd - nStart, cOffset + nStart);
    }

    /**
     * Packs {@code rows} rows of A as signed K-pairs, {@code a' = a - 127}:
     * {@code (a'[2q] & 0xFFFF) | a'[2q+1] << 16}, zero past K up to {@code pairs} pairs, with the row
     * sums of {@code a'}; rows {@code rows..tileRows-1} (past m) become zero.
     */
    private static void packRowsSigned(byte[] a, int off, int lda, int rows, int tileRows, int k, int pairs, int[] ap,
                                       int apOff, int[] rowSums, int sumOff) {
        int full = k >> 1;
        for (int r = 0; r < rows; r++) {
            int base = off + r * lda;
            int o = apOff + r * pairs;
            int sum = 0;
            for (int q = 0; q < full; q++) {
                int lo = (a[base + 2 * q] & 0xFF) - 127;
                int hi = (a[base + 2 * q + 1] & 0xFF) - 127;
                ap[o + q] = (lo & 0xFFFF) | hi << 16;
                sum += lo + hi;
            }
            int q = full;
            if ((k & 1) != 0) {
                int lo = (a[base + k - 1] & 0xFF) - 127;
                ap[o + q++] = lo & 0xFFFF;
                sum += lo;
            }
            for (; q < pairs; q++) {
                ap[o + q] = 0;
            }
            rowSums[sumOff + r] = sum;
        }
        for (int r = rows; r < tileRows; r++) {
            java.util.Arrays.fill(ap, apOff + r * pairs, apOff + (r + 1) * pairs, 0);
            rowSums[sumOff + r] = 0;
        }
    }

    /** Packs one row of A as unsigned K-pairs ({@code a[2q] | a[2q+1] << 16}, zero past K) with its sum. */
    private static void packRows(byte[] a, int off, int k, int kp, int[] ap, int[] rowSums) {
        int full = k >> 1;
        int sum = 0;
        for (int q = 0; q < full; q++) {
            int lo = a[off + 2 * q] & 0xFF;
            int hi = a[off + 2 * q + 1] & 0xFF;
            ap[q] = lo | hi << 16;
            sum += lo + hi;
        }
        if ((k & 1) != 0) {
            int lo = a[off + k - 1] & 0xFF;
            ap[full] = lo;
            sum += lo;
        }
        rowSums[0] = sum;
    }
}
