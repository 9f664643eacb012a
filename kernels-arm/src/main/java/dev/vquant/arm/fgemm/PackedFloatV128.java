package dev.vquant.arm.fgemm;

import dev.vquant.arm.ArmBackend;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * float32 GEMM weights packed for the 128-bit kernels: panels of {@value #NR} columns, K-major
 * inside a panel ({@code data[(p*k + kk)*16 + c] = W[16p + c][kk]}), missing columns zero.
 * Immutable and safe to share.
 */
public final class PackedFloatV128 implements PackedFloatWeights {
    /** Columns per panel: four 128-bit float vectors. */
    public static final int NR = 16;

    final int n;
    final int k;
    final int panels;
    final float[] data;

    PackedFloatV128(float[] w, int n, int k) {
        this.n = n;
        this.k = k;
        this.panels = (n + NR - 1) / NR;
        this.data = new float[Math.multiplyExact(Math.multiplyExact(panels, k), NR)];
        for (int j = 0; j < n; j++) {
            int base = (j / NR) * k * NR + j % NR;
            for (int kk = 0; kk < k; kk++) {
                data[base + kk * NR] = w[j * k + kk];
            }
        }
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
        return ArmBackend.NAME;
    }

    @Override
    public VectorWidth width() {
        return VectorWidth.V128;
    }

    @Override
    public long byteSize() {
        return 4L * data.length;
    }

    @Override
    public String toString() {
        return "PackedFloatV128[n=" + n + ", k=" + k + "]";
    }
}
