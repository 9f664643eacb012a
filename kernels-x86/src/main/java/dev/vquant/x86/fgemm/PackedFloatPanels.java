package dev.vquant.x86.fgemm;

import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * A float32 weight matrix {@code W[n][k]} packed into column panels for the fbgemm engine's float
 * GEMM micro-kernels.
 *
 * <p>Layout: {@code ceil(n / nr)} panels of {@code nr} output columns each; panel {@code p} holds
 * {@code k} rows of {@code nr} floats, {@code data[p*k*nr + kk*nr + c] = W[p*nr + c][kk]}, so the
 * micro-kernel loads the {@code nr} weights of one reduction step with {@code nr / lanes}
 * contiguous vector loads. Columns past {@code n} in the last panel are zero. Immutable after
 * construction and therefore safe to share between threads, except when its owner packs new
 * values into it with {@link X86FloatGemmKernels#packInto} (an operator's per-call activation).
 */
final class PackedFloatPanels implements PackedFloatWeights {
    private final float[] data;
    private final int n;
    private final int k;
    private final int nr;
    private final VectorWidth width;

    private PackedFloatPanels(float[] data, int n, int k, int nr, VectorWidth width) {
        this.data = data;
        this.n = n;
        this.k = k;
        this.nr = nr;
        this.width = width;
    }

    /** Packs row-major {@code w[n][k]} into panels of {@code nr} columns (arguments already validated). */
    static PackedFloatPanels pack(float[] w, int n, int k, int nr, VectorWidth width) {
        int panels = (n + nr - 1) / nr;
        long size = (long) panels * k * nr;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("float weights " + n + "x" + k + " are too large to pack ("
                    + size + " floats with panel padding)");
        }
        float[] data = new float[(int) size];
        fill(w, n, k, nr, data);
        return new PackedFloatPanels(data, n, k, nr, width);
    }

    /**
     * Packs row-major {@code w[n][k]} again into {@code p}'s storage (same {@code n} and
     * {@code k}, arguments already validated), for {@link X86FloatGemmKernels#packInto}: the
     * padding columns of the last panel were zeroed at construction and are never written.
     */
    static void repack(float[] w, PackedFloatPanels p) {
        fill(w, p.n, p.k, p.nr, p.data);
    }

    private static void fill(float[] w, int n, int k, int nr, float[] data) {
        int panels = (n + nr - 1) / nr;
        for (int p = 0; p < panels; p++) {
            int base = p * k * nr;
            int cols = Math.min(nr, n - p * nr);
            for (int c = 0; c < cols; c++) {
                int src = (p * nr + c) * k;
                for (int kk = 0; kk < k; kk++) {
                    data[base + kk * nr + c] = w[src + kk];
                }
            }
        }
    }

    float[] data() {
        return data;
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
    public String engine() {
        return "fbgemm";
    }

    @Override
    public VectorWidth width() {
        return width;
    }

    @Override
    public long byteSize() {
        return 4L * data.length;
    }

    @Override
    public String toString() {
        return "PackedFloatPanels[" + n + "x" + k + ", nr=" + nr + ", " + width + "]";
    }
}
