package dev.vquant.arm.fgemm;

import dev.vquant.arm.ArmBackend;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedFloatWeights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The qnnpack engine's float32 GEMM, the 128-bit baseline its int8 GEMM is measured against:
 * {@code C[i][j] = clamp(sum_k A[i][k] * W[j][k] + bias[j], clampMin, clampMax)}. Same blocking as
 * the int8 driver: column chunks whose packed panels fit ~128 KiB of L2, 4-row tiles on
 * {@link FGemm4x16V128}, single rows (batch 1 and row tails) on {@link FGemm1x16V128}, and bias
 * and clamp applied to each finished tile while it is in L1.
 *
 * <p>Thread-safe: packed weights are immutable; the tile is per-thread scratch.
 */
public final class FloatGemmKernelsV128 implements FloatGemmKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final int NR = PackedFloatV128.NR;
    private static final int MR = FGemm4x16V128.MR;
    private static final int CHUNK_BYTES = 128 * 1024;

    /** Creates the kernels; per-thread scratch is allocated on each thread's first call. */
    public FloatGemmKernelsV128() {
    }

    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    @Override
    public PackedFloatV128 pack(float[] w, int n, int k) {
        if (w == null) {
            throw new IllegalArgumentException("weight array must not be null");
        }
        KernelArgs.checkPositive("n (output channels)", n);
        KernelArgs.checkPositive("k (reduction length)", k);
        if ((long) n * k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("weight matrix " + n + "x" + k + " has more than 2^31-1 elements");
        }
        KernelArgs.checkMatrix("weights", w.length, 0, n, k, k);
        return new PackedFloatV128(w, n, k);
    }

    @Override
    public void gemm(float[] a, int aOffset, int lda, int m, PackedFloatWeights w, int nStart, int nEnd, float[] bias,
                     float clampMin, float clampMax, float[] c, int cOffset, int ldc) {
        KernelArgs.checkPackedFor(w, ArmBackend.NAME);
        if (!(w instanceof PackedFloatV128 p)) {
            throw new IllegalArgumentException("weights are marked '" + ArmBackend.NAME + "' but were not packed by "
                    + FloatGemmKernelsV128.class.getSimpleName() + ": " + w.getClass().getName());
        }
        if (a == null || c == null) {
            throw new IllegalArgumentException("activation and output arrays must not be null");
        }
        if (m < 0) {
            throw new IllegalArgumentException("m must be >= 0, got " + m);
        }
        KernelArgs.checkMatrix("activations", a.length, aOffset, m, p.k, lda);
        KernelArgs.checkColumns(nStart, nEnd, p.n);
        KernelArgs.checkMatrix("output", c.length, cOffset + nStart, m, nEnd - nStart, ldc);
        if (bias != null && bias.length != p.n) {
            throw new IllegalArgumentException("bias has " + bias.length + " entries for " + p.n + " output channels");
        }
        if (Float.isNaN(clampMin) || Float.isNaN(clampMax) || clampMin > clampMax) {
            throw new IllegalArgumentException("clamp range [" + clampMin + ", " + clampMax + "] is empty or NaN");
        }
        if (m == 0 || nStart == nEnd) {
            return;
        }
        int k = p.k;
        int panelStart = nStart / NR;
        int panelEnd = (nEnd + NR - 1) / NR;
        int panelFloats = k * NR;
        int chunkPanels = Math.max(1, CHUNK_BYTES / (4 * panelFloats));
        int ldt = Math.min(chunkPanels, panelEnd - panelStart) * NR;
        float[] tile = tile(MR * ldt);
        for (int cp = panelStart; cp < panelEnd; cp += chunkPanels) {
            int cpEnd = Math.min(panelEnd, cp + chunkPanels);
            int colLo = Math.max(nStart, cp * NR);
            int colHi = Math.min(nEnd, cpEnd * NR);
            int i0 = 0;
            // full 4-row tiles
            for (; i0 <= m - MR; i0 += MR) {
                for (int pp = cp; pp < cpEnd; pp++) {
                    FGemm4x16V128.run(a, aOffset + i0 * lda, lda, k, p.data, pp * panelFloats, tile, (pp - cp) * NR, ldt);
                }
                for (int r = 0; r < MR; r++) {
                    finishRow(tile, r * ldt + colLo - cp * NR, colLo, colHi - colLo, bias, clampMin, clampMax, c,
                            cOffset + (i0 + r) * ldc + colLo);
                }
            }
            // single rows: batch 1 and the row tail
            for (; i0 < m; i0++) {
                for (int pp = cp; pp < cpEnd; pp++) {
                    FGemm1x16V128.run(a, aOffset + i0 * lda, k, p.data, pp * panelFloats, tile, (pp - cp) * NR);
                }
                finishRow(tile, colLo - cp * NR, colLo, colHi - colLo, bias, clampMin, clampMax, c,
                        cOffset + i0 * ldc + colLo);
            }
        }
    }

    /** Bias and clamp of one finished tile row: {@code c = min(max(acc + bias[j], lo), hi)}. */
    private static void finishRow(float[] tile, int tOff, int j0, int len, float[] bias, float lo, float hi, float[] c,
                                  int cOff) {
        FloatVector vlo = FloatVector.broadcast(F, lo);
        FloatVector vhi = FloatVector.broadcast(F, hi);
        int t = 0;
        for (; t <= len - 4; t += 4) {
            FloatVector v = FloatVector.fromArray(F, tile, tOff + t);
            if (bias != null) {
                v = v.add(FloatVector.fromArray(F, bias, j0 + t));
            }
            v.max(vlo).min(vhi).intoArray(c, cOff + t);
        }
        for (; t < len; t++) {
            float v = tile[tOff + t] + (bias == null ? 0f : bias[j0 + t]);
            c[cOff + t] = Math.min(Math.max(v, lo), hi);
        }
    }

    private float[] tile(int size) {
        float[][] holder = scratch.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }
}
