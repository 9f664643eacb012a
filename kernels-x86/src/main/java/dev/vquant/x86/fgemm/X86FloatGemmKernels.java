package dev.vquant.x86.fgemm;

import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * The fbgemm engine's float32 GEMM at one vector width: weights packed once into column panels
 * ({@link PackedFloatPanels}), then {@link FGemm4x48V512} (512-bit) or {@link FGemm4x24V256}
 * (256-bit) with bias and clamp fused into the store. Stateless after construction, thread-safe,
 * allocates nothing per call.
 */
public final class X86FloatGemmKernels implements FloatGemmKernels {
    private final VectorWidth width;

    /**
     * Creates the fbgemm engine's float GEMM at one vector width; the width's kernel classes load here.
     *
     * @param width {@link VectorWidth#V512} or {@link VectorWidth#V256}
     * @throws IllegalArgumentException for any other width
     */
    public X86FloatGemmKernels(VectorWidth width) {
        if (width != VectorWidth.V512 && width != VectorWidth.V256) {
            throw new IllegalArgumentException("the fbgemm float GEMM has V512 and V256 kernels, not " + width);
        }
        this.width = width;
    }

    /**
     * The vector width these kernels run at, fixed at construction.
     *
     * @return {@link VectorWidth#V512} or {@link VectorWidth#V256}
     */
    public VectorWidth width() {
        return width;
    }

    @Override
    public PackedFloatWeights pack(float[] w, int n, int k) {
        KernelArgs.checkPositive("n (output channels)", n);
        KernelArgs.checkPositive("k (reduction length)", k);
        if (w == null) {
            throw new IllegalArgumentException("weight array must not be null");
        }
        KernelArgs.checkMatrix("weights", w.length, 0, n, k, k);
        int nr = FGemmDriver.nr(width == VectorWidth.V512);
        return PackedFloatPanels.pack(w, n, k, nr, width);
    }

    @Override
    public PackedFloatWeights packInto(float[] w, int n, int k, PackedFloatWeights reuse) {
        if (reuse instanceof PackedFloatPanels p && p.n() == n && p.k() == k && p.width() == width && w != null
                && w.length == (long) n * k) {
            PackedFloatPanels.repack(w, p); // same geometry: the panels' storage is overwritten, nothing allocated
            return p;
        }
        return pack(w, n, k);
    }

    @Override
    public void gemm(float[] a, int aOffset, int lda, int m, PackedFloatWeights w, int nStart, int nEnd, float[] bias,
                     float clampMin, float clampMax, float[] c, int cOffset, int ldc) {
        PackedFloatPanels pw = packed(w);
        KernelArgs.checkColumns(nStart, nEnd, pw.n());
        if (a == null || c == null) {
            throw new IllegalArgumentException((a == null ? "activation" : "output") + " array must not be null");
        }
        KernelArgs.checkMatrix("activations A", a.length, aOffset, m, pw.k(), lda);
        KernelArgs.checkMatrix("output C", c.length, cOffset, m, nEnd, ldc);
        if (bias != null && bias.length != pw.n()) {
            throw new IllegalArgumentException("bias has " + bias.length + " entries for " + pw.n() + " output channels");
        }
        if (!(clampMin <= clampMax)) {
            throw new IllegalArgumentException("clamp range [" + clampMin + ", " + clampMax + "] is empty or NaN");
        }
        if (m == 0 || nStart == nEnd) {
            return;
        }
        FGemmDriver.gemm(width == VectorWidth.V512, a, aOffset, lda, m, pw, nStart, nEnd, bias, clampMin, clampMax, c,
                cOffset, ldc);
    }

    /** The weights as this width's panels; weights packed at the other width are rejected by name. */
    private PackedFloatPanels packed(PackedFloatWeights w) {
        KernelArgs.checkPackedFor(w, "fbgemm");
        if (!(w instanceof PackedFloatPanels p)) {
            throw new IllegalArgumentException("weights claim engine 'fbgemm' but are a " + w.getClass().getName()
                    + ", not packed by X86FloatGemmKernels");
        }
        if (p.width() != width) {
            throw new IllegalArgumentException("float weights were packed for " + p.width() + " kernels but run on "
                    + width + "; repack them");
        }
        return p;
    }

    @Override
    public String toString() {
        return "X86FloatGemmKernels[" + width + "]";
    }
}
