package dev.vquant.x86.qgemm;

import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * A qint8 weight matrix {@code W[n][k]} packed once for the fbgemm engine's int8 GEMM kernels.
 *
 * <p>Weights are stored shifted to unsigned, {@code wu = W + 128} (0..255), so that an activation
 * (0..255) times a weight is an unsigned 16-bit product (at most 65025). The reduction is cut
 * into {@link #kPairs()} K-pairs ({@code k} rounded up to a multiple of 4, zero-padded) and the
 * columns into panels of {@link #nr()}. Both layouts interleave the pair per column:
 * <pre>element (pair q, column c of panel p, half h) = wu(W[p*nr + c][2q + h])
 *   at index  p * kPairs * 2*nr  +  q * 2*nr  +  2*c + h</pre>
 * in {@link #bytes()} (one byte each, read by the memory-bound batch-1 kernels and widened in
 * registers) and, once a multi-row GEMM has run, {@link #shorts()} (16-bit, for the GEMM
 * micro-kernels). Padding columns and K positions hold 0
 * (which contributes nothing because padded activations are 0 as well).
 *
 * <p>Zero-point corrections: with {@code raw[i][j] = sum_k A[i][k] * wu[j][k]} and
 * {@code rowSum[i] = sum_k A[i][k]}, the exact accumulator is
 * <pre>acc[i][j] = raw[i][j] - (zW[j] + 128) * rowSum[i] - zA * colAdj[j],
 * colAdj[j] = sum_k W[j][k] - k * zW[j]</pre>
 * all in int32 arithmetic modulo 2^32 (exact whenever the true value fits int32). The arrays
 * {@link #zeroPointPlus128()} and {@link #colAdj()} are padded to whole panels. Immutable after
 * construction but for the lazily built 16-bit copy (published through a volatile field), so
 * safe to share between threads.
 */
final class PackedQGemmPanels implements PackedQGemmWeights {
    private final int n;
    private final int k;
    private final int kPairs;
    private final int nr;
    private final VectorWidth width;
    /** The 16-bit panels, built on first use by a multi-row GEMM (see {@link #shorts()}). */
    private volatile short[] shorts;
    private final byte[] bytes;
    private final int[] zeroPoints;
    private final int[] zeroPointPlus128;
    private final int[] colAdj;
    private final boolean uniformZeroPoint;

    private PackedQGemmPanels(int n, int k, int kPairs, int nr, VectorWidth width, byte[] bytes,
                              int[] zeroPoints, int[] zeroPointPlus128, int[] colAdj) {
        this.n = n;
        this.k = k;
        this.kPairs = kPairs;
        this.nr = nr;
        this.width = width;
        this.bytes = bytes;
        this.zeroPoints = zeroPoints;
        this.zeroPointPlus128 = zeroPointPlus128;
        this.colAdj = colAdj;
        boolean uniform = true;
        for (int z : zeroPoints) {
            uniform &= z == zeroPoints[0];
        }
        this.uniformZeroPoint = uniform;
    }

    /** Packs row-major {@code w[n][k]} (arguments already validated) into panels of {@code nr} columns. */
    static PackedQGemmPanels pack(byte[] w, int n, int k, int[] zp, int nr, VectorWidth width) {
        int kPairs = ((k + 3) / 4) * 2;
        int panels = (n + nr - 1) / nr;
        long size = (long) panels * kPairs * 2 * nr;
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("int8 weights " + n + "x" + k + " are too large to pack (" + size
                    + " elements with panel padding)");
        }
        byte[] bytes = new byte[(int) size];
        int[] zps = new int[n];
        int[] zp128 = new int[panels * nr];
        int[] adj = new int[panels * nr];
        for (int j = 0; j < n; j++) {
            int z = zp[zp.length == 1 ? 0 : j];
            zps[j] = z;
            zp128[j] = z + 128;
            int base = (j / nr) * kPairs * 2 * nr + 2 * (j % nr);
            int sum = 0;
            for (int kk = 0; kk < k; kk++) {
                int v = w[j * k + kk];
                sum += v;
                int idx = base + (kk >> 1) * 2 * nr + (kk & 1);
                bytes[idx] = (byte) (v + 128);
            }
            adj[j] = sum - k * z;
        }
        return new PackedQGemmPanels(n, k, kPairs, nr, width, bytes, zps, zp128, adj);
    }

    /**
     * 16-bit panels (see the class comment), widened from the byte panels on first use. Only
     * multi-row GEMMs read them, so a layer that only ever runs batch 1 keeps 1 byte per weight;
     * one that runs batched GEMMs holds 3 (the 16-bit panels save the widening in the
     * compute-bound micro-kernels, ~8%). Racing threads may both build them; the arrays are
     * identical and either may win. Do not modify.
     */
    short[] shorts() {
        short[] s = shorts;
        if (s == null) {
            s = new short[bytes.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) (bytes[i] & 0xFF);
            }
            shorts = s;
        }
        return s;
    }

    /** Byte panels, same indexing as {@link #shorts()}, values 0..255 stored as bytes. Do not modify. */
    byte[] bytes() {
        return bytes;
    }

    /** {@code zW[j] + 128}, padded to whole panels. Do not modify. */
    int[] zeroPointPlus128() {
        return zeroPointPlus128;
    }

    /**
     * Whether every column has the same zero point (per-tensor, or symmetric per-channel weights
     * as PyTorch's fbgemm qconfig makes them): then {@code (zW + 128) * rowSum} is one scalar per row.
     */
    boolean uniformZeroPoint() {
        return uniformZeroPoint;
    }

    /** {@code sum_k W[j][k] - k * zW[j]}, padded to whole panels. Do not modify. */
    int[] colAdj() {
        return colAdj;
    }

    /** K-pairs per panel column: {@code k} rounded up to a multiple of 4, halved. */
    int kPairs() {
        return kPairs;
    }

    /** Columns per panel. */
    int nr() {
        return nr;
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
        return "fbgemm";
    }

    @Override
    public VectorWidth width() {
        return width;
    }

    @Override
    public long byteSize() {
        short[] s = shorts;
        return (s == null ? 0 : 2L * s.length) + bytes.length + 4L * (zeroPoints.length + 2L * colAdj.length);
    }

    @Override
    public String toString() {
        return "PackedQGemmPanels[" + n + "x" + k + ", nr=" + nr + ", " + width + "]";
    }
}
