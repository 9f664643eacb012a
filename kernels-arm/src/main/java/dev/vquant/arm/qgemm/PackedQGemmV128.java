package dev.vquant.arm.qgemm;

import dev.vquant.arm.ArmBackend;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * int8 GEMM weights packed for the 128-bit kernels ({@link QGemm4x8c2V128}, {@link QGemv1x8c2V128}).
 *
 * <p>Layout ("c2", K-pairs interleaved per column): columns are grouped in panels of
 * {@value #NR}; panel {@code p} holds, for each K-pair {@code q}, 16 bytes
 * {@code [w[j][2q]+128, w[j][2q+1]+128]} for its 8 columns {@code j = 8p..8p+7}, i.e. every
 * weight shifted to unsigned 0..255. Missing columns (the N tail) and the missing second half of
 * the last pair (odd K) hold 128 (a zero weight); packed activations are 0 there anyway.
 * One byte per weight: the GEMV path streams these bytes and widens them in-register; the tiled
 * kernel, which reuses each weight for 4 rows, reads a 16-bit copy made on first use (measured
 * ~15-30% faster there than widening in the loop), so batched layers hold 3 bytes per weight.
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
    /** The same panels widened to 16 bits for the tiled kernel, built on first use (see {@link #widePanels()}). */
    private volatile short[] wide;

    PackedQGemmV128(byte[] w, int n, int k, int[] zp) {
        this.n = n;
        this.k = k;
        this.kPairs = (k + 1) / 2;
        this.panels = (n + NR - 1) / NR;
        this.data = new byte[Math.multiplyExact(Math.multiplyExact(panels, kPairs), 2 * NR)];
        this.zeroPoints = new int[n];
        this.rowFactor = new int[panels * NR];
        this.colCorrection = new int[panels * NR];
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
            colCorrection[j] = k * z - sum;
        }
    }

    /**
     * The byte panels widened to 16-bit values, same order: what {@link QGemm4x8c2V128} reads. Built
     * on the first call with more than one row, so batch-1 layers (which stream the bytes) never pay
     * for it. Racing threads may both build it; they build identical arrays and either may win.
     */
    short[] widePanels() {
        short[] w = wide;
        if (w == null) {
            w = new short[data.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (short) (data[i] & 0xFF);
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
                + 4L * (zeroPoints.length + rowFactor.length + colCorrection.length);
    }

    @Override
    public String toString() {
        return "PackedQGemmV128[n=" + n + ", k=" + k + "]";
    }
}
