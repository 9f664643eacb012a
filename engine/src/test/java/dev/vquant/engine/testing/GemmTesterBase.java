package dev.vquant.engine.testing;

/**
 * Shape of a GEMM test shared by {@link QGemmKernelTester} and {@link FloatGemmKernelTester}:
 * {@code C[m][nStart..nEnd) = A[m][k] x W[n][k]^T}, A at {@code aOffset} with leading dimension
 * {@code lda} (default k), C at {@code cOffset} with {@code ldc} (default n). Every element of
 * A's padding and of C outside the written columns is junk or canary.
 */
abstract class GemmTesterBase<T extends GemmTesterBase<T>> {
    /** Canary elements after the last row of C. */
    static final int GUARD = 7;

    int m = 1;
    int n = 1;
    int k = 1;
    int lda;
    int ldc;
    int aOffset;
    int cOffset;
    int nStart;
    int nEnd = -1;
    long seed = 1;

    abstract T self();

    public T m(int m) {
        this.m = m;
        return self();
    }

    public T n(int n) {
        this.n = n;
        return self();
    }

    public T k(int k) {
        this.k = k;
        return self();
    }

    /** Leading dimension of A (0 means k). */
    public T lda(int lda) {
        this.lda = lda;
        return self();
    }

    /** Leading dimension of C (0 means n). */
    public T ldc(int ldc) {
        this.ldc = ldc;
        return self();
    }

    public T aOffset(int aOffset) {
        this.aOffset = aOffset;
        return self();
    }

    public T cOffset(int cOffset) {
        this.cOffset = cOffset;
        return self();
    }

    /** Columns {@code [nStart, nEnd)} to compute (default all); the rest of C must stay untouched. */
    public T nRange(int nStart, int nEnd) {
        this.nStart = nStart;
        this.nEnd = nEnd;
        return self();
    }

    /** Seed of every random choice (data, zero points, scales): a failure names it. */
    public T seed(long seed) {
        this.seed = seed;
        return self();
    }

    int lda() {
        return lda == 0 ? k : lda;
    }

    int ldc() {
        return ldc == 0 ? n : ldc;
    }

    int nEnd() {
        return nEnd < 0 ? n : nEnd;
    }

    void checkShape() {
        if (m < 1 || n < 1 || k < 1 || lda() < k || ldc() < n || aOffset < 0 || cOffset < 0 || nStart < 0
                || nStart > nEnd() || nEnd() > n) {
            throw new IllegalStateException("invalid test shape: " + describe());
        }
    }

    int aLength() {
        return aOffset + (m - 1) * lda() + k + GUARD;
    }

    int cLength() {
        return cOffset + (m - 1) * ldc() + n + GUARD;
    }

    /** True when flat index {@code idx} of C is one the kernel must write. */
    boolean written(int idx) {
        int rel = idx - cOffset;
        if (rel < 0) {
            return false;
        }
        int row = rel / ldc();
        int col = rel % ldc();
        return row < m && col >= nStart && col < nEnd();
    }

    /** Column of flat index {@code idx} of C (meaningful for written indices). */
    int column(int idx) {
        return (idx - cOffset) % ldc();
    }

    String where(int idx) {
        int rel = idx - cOffset;
        return rel < 0 ? "C offset area [" + idx + "]" : "C[" + rel / ldc() + "][" + rel % ldc() + "]";
    }

    String describe() {
        return "M=" + m + " N=" + n + " K=" + k + " lda=" + lda() + " ldc=" + ldc() + " aOffset=" + aOffset
                + " cOffset=" + cOffset + " columns [" + nStart + ", " + nEnd() + ") seed=" + seed;
    }
}
