package dev.vquant.arm.qgemm;

import dev.vquant.arm.ArmBackend;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * int8 GEMM weights packed for the 128-bit kernels ({@link QGemm4x8c4V128}, {@link QGemv1x8c4V128},
 * {@link QGemv1x8c2V128}).
 *
 * <p>Layout ("c2", K-pairs interleaved per column): columns are grouped in panels of
 * {@value #NR}; panel {@code p} holds, for each K-pair {@code q}, 16 bytes
 * {@code [w[j][2q]+128, w[j][2q+1]+128]} for its 8 columns {@code j = 8p..8p+7}, i.e. every
 * weight shifted to unsigned 0..255. Missing columns (the N tail) and the missing second half of
 * the last pair (odd K) hold 128 (a zero weight); packed activations are 0 there anyway.
 * One byte per weight: the batch-1 path for large layers streams these bytes and widens them
 * in-register; the tiled kernel and batch 1 on cache-resident layers read a signed 16-bit copy
 * made on first use ({@link #widePanels()}), so those layers hold 3 bytes per weight.
 *
 * <p>Per column, for the zero-point corrections (all int32, wrapping, which is exact modulo
 * 2^32 like the accumulator itself): {@code rowFactor[j] = 128 + zB[j]} multiplies the row sum
 * of A, {@code colCorrection[j] = K*zB[j] - sum_k w[j][k]} is multiplied by the activation zero
 * point. Immutable and safe to share between threads.
 */
public final class PackedQGemmV128 implements PackedQGemmWeights {
    /** Columns per panel: two 128-bit int vectors of accumulators. */
    public static final int NR = 8;

    final int n;
    final int k;
    final int kPairs;
    final int panels;
    final byte[] data;
    final int[] zeroPoints;
    final int[] rowFactor;
    final int[] colCorrection;
    /** {@code zB[j]}, padded with zeros to whole panels. */
    final int[] colZeroPoint;
    /** K-pairs of the 16-bit panels: {@code kPairs} rounded up to even (the kernels take two per step). */
    final int widePairs;
    /** The signed 16-bit panels, built on first use (see {@link #widePanels()}). */
    private volatile short[] wide;

    PackedQGemmV128(byte[] w, int n, int k, int[] zp) {
        this.n = n;
        this.k = k;
        this.kPairs = (k + 1) / 2;
        this.widePairs = (kPairs + 1) & ~1;
        this.panels = (n + NR - 1) / NR;
        this.data = new byte[Math.multiplyExact(Math.multiplyExact(panels, kPairs), 2 * NR)];
        this.zeroPoints = new int[n];
        this.rowFactor = new int[panels * NR];
        this.colCorrection = new int[panels * NR];
        this.colZeroPoint = new int[panels * NR];
        java.util.Arrays.fill(data, (byte) 128);
        for (int j = 0; j < n; j++) {
            int z = zp[zp.length == 1 ? 0 : j];
            zeroPoints[j] = z;
            int base = (j / NR) * kPairs * 2 * NR + (j % NR) * 2;
            int sum = 0;
            for (int kk = 0; kk < k; kk++) {
                int v = w[j * k + kk];
                sum += v;
                data[base + (kk >> 1) * 2 * NR + (kk & 1)] = (byte) (v + 128);
            }
            rowFactor[j] = 128 + z;
            colZeroPoint[j] = z;
            colCorrection[j] = k * z - sum;
        }
    }

    /**
     * The weights as signed 16-bit values {@code W[j][k]} (not shifted), in the same panel order
     * as the bytes but with {@code widePairs} K-pairs per panel (zeros past K): what
     * {@link QGemm4x8c4V128} and {@link QGemv1x8c4V128} read. Built on first use, so layers that
     * only ever run the byte-streaming batch-1 kernel never hold it. Racing threads may both build
     * it; they build identical arrays and either may win.
     */
    short[] widePanels() {
        short[] w = wide;
        if (w == null) {
            w = new short[Math.multiplyExact(Math.multiplyExact(panels, widePairs), 2 * NR)];
            for (int p = 0; p < panels; p++) {
                int from = p * kPairs * 2 * NR;
                int to = p * widePairs * 2 * NR;
                for (int i = 0; i < kPairs * 2 * NR; i++) {
                    w[to + i] = (short) ((data[from + i] & 0xFF) - 128);
                }
            }
            wide = w;
        }
        return w;
    }

    @Override
    public int n() {
        return n;
    }

    @Override
    public int k() {
        return k;
    }

    @Override
    public int zeroPoint(int j) {
        return zeroPoints[j];
    }

    @Override
    public String engine() {
        return ArmBackend.NAME;
    }

    @Override
    public VectorWidth width() {
        return VectorWidth.V128;
    }

    @Override
    public long byteSize() {
        short[] w = wide;
        return data.length + (w == null ? 0 : 2L * w.length)
                + 4L * (zeroPoints.length + rowFactor.length + colCorrection.length + colZeroPoint.length);
    }

    @Override
    public String toString() {
        return "PackedQGemmV128[n=" + n + ", k=" + k + "]";
    }
}
