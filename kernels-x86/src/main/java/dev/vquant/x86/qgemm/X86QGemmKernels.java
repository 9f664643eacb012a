package dev.vquant.x86.qgemm;

import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.spi.VectorWidth;

/**
 * The fbgemm engine's int8 GEMM at one vector width ({@link QGemmDriver} with
 * the V512 or V256 kernels): weights packed once into K-pair interleaved unsigned panels
 * ({@link PackedQGemmPanels}, 16-bit and byte copies, column sums precomputed); per call the
 * activations are packed with their row sums, the register-blocked micro-kernels compute exact
 * raw sums (a 7-bit fast path only when every activation of the block is &lt;= 127, batch-1 kernels
 * on byte panels for one or two rows), and the calling thread's {@link PanelOutput} stage for the
 * requested output applies the zero-point corrections and writes each finished panel. Exact
 * modulo 2^32 for every K. Validates every argument with {@link KernelArgs}; thread-safe;
 * per-thread scratch and output stages only.
 */
public final class X86QGemmKernels implements QGemmKernels {
    private final VectorWidth width;

    /**
     * Creates the fbgemm engine's int8 GEMM at one vector width; the width's kernel classes load here.
     *
     * @param width {@link VectorWidth#V512} or {@link VectorWidth#V256}
     * @throws IllegalArgumentException for any other width
     */
    public X86QGemmKernels(VectorWidth width) {
        if (width != VectorWidth.V512 && width != VectorWidth.V256) {
            throw new IllegalArgumentException("the fbgemm int8 GEMM has V512 and V256 kernels, not " + width);
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
    public PackedQGemmWeights pack(byte[] w, int n, int k, int[] zeroPoints) {
        KernelArgs.checkPositive("n (output channels)", n);
        KernelArgs.checkPositive("k (reduction length)", k);
        if (w == null) {
            throw new IllegalArgumentException("weight array must not be null");
        }
        KernelArgs.checkMatrix("weights", w.length, 0, n, k, k);
        KernelArgs.checkWeightZeroPoints(zeroPoints, n);
        int nr = QGemmDriver.nr(width == VectorWidth.V512);
        return PackedQGemmPanels.pack(w, n, k, zeroPoints, nr, width);
    }

    @Override
    public void runInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                         int nEnd, int[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        PackedQGemmPanels pw = panels(w);
        QGemmScratch s = QGemmScratch.get();
        run(s, a, aOffset, lda, m, pw, nStart, nEnd, s.stages.int32(wide(), pw, aZeroPoint, c), cOffset, ldc);
    }

    @Override
    public void runRequantize(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                              int nEnd, Requantization rq, byte[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        assert rq.channels() == w.n();
        PackedQGemmPanels pw = panels(w);
        QGemmScratch s = QGemmScratch.get();
        run(s, a, aOffset, lda, m, pw, nStart, nEnd, s.stages.requantize(wide(), pw, aZeroPoint, rq, c), cOffset, ldc);
    }

    @Override
    public void runFloat(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                         int nEnd, FloatOutput out, float[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        assert out.channels() == w.n();
        PackedQGemmPanels pw = panels(w);
        QGemmScratch s = QGemmScratch.get();
        run(s, a, aOffset, lda, m, pw, nStart, nEnd, s.stages.toFloat(wide(), pw, aZeroPoint, out, c), cOffset, ldc);
    }

    /**
     * {@link #gemmInt32} that reports the {@link QGemmPath} bits of the kernels that ran, so tests
     * can show which inputs take the 7-bit path.
     */
    int gemmInt32Paths(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                       int nEnd, int[] c, int cOffset, int ldc) {
        KernelArgs.checkGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, null, 0, c.length, cOffset, ldc);
        PackedQGemmPanels pw = panels(w);
        QGemmScratch s = QGemmScratch.get();
        return run(s, a, aOffset, lda, m, pw, nStart, nEnd, s.stages.int32(wide(), pw, aZeroPoint, c), cOffset, ldc);
    }

    private int run(QGemmScratch s, byte[] a, int aOffset, int lda, int m, PackedQGemmPanels pw, int nStart,
                    int nEnd, PanelOutput out, int cOffset, int ldc) {
        if (m == 0 || nStart == nEnd) {
            return 0;
        }
        return QGemmDriver.run(wide(), s, a, aOffset, lda, m, pw, nStart, nEnd, out, cOffset, ldc);
    }

    private boolean wide() {
        return width == VectorWidth.V512;
    }

    /** The weights as this engine's panels: packed by this class, for this width (the cast every call needs). */
    private PackedQGemmPanels panels(PackedQGemmWeights w) {
        KernelArgs.checkPackedFor(w, "fbgemm");
        if (!(w instanceof PackedQGemmPanels pw)) {
            throw new IllegalArgumentException("weights claim engine 'fbgemm' but are a " + w.getClass().getName()
                    + ", not packed by X86QGemmKernels");
        }
        if (pw.width() != width) {
            throw new IllegalArgumentException("int8 weights were packed for " + pw.width() + " kernels but run on "
                    + width + "; repack them");
        }
        return pw;
    }

    @Override
    public String toString() {
        return "X86QGemmKernels[" + width + "]";
    }
}
