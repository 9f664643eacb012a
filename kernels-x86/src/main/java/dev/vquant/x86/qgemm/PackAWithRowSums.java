package dev.vquant.x86.qgemm;

/**
 * The contract (and scalar definition) of the activation packers {@link PackAWithRowSumsV512} and
 * {@link PackAWithRowSumsV256}, which the drivers use. Packs quint8 activation rows for the int8 micro-kernels: each K-pair of a row becomes one int
 * {@code A[i][2q] | A[i][2q+1] << 16}, which a kernel broadcasts to every 32-bit lane and reads
 * as 16-bit lanes (the pair lines up with the K-pair interleaved weight panels of
 * {@link PackedQGemmPanels}). Also computes the row sums for the zero-point correction and the
 * bitwise OR of all activations, which tells whether every value is at most 127 (the 7-bit path).
 */
final class PackAWithRowSums {
    private PackAWithRowSums() {
    }

    /**
     * Packs {@code rows} rows of {@code k} bytes at {@code a[off + r*lda]} into
     * {@code dst[r*kPairs ...]}, zero-filling pairs past {@code k} and rows up to {@code rowsPad}.
     *
     * @return the OR of every activation byte (0..255): at most 127 iff all activations are
     */
    static int pack(byte[] a, int off, int lda, int rows, int rowsPad, int k, int kPairs, int[] dst, int[] rowSum) {
        int or = 0;
        for (int r = 0; r < rows; r++) {
            int src = off + r * lda;
            int d = r * kPairs;
            int sum = 0;
            int kk = 0;
            for (; kk + 1 < k; kk += 2) {
                int x0 = a[src + kk] & 0xFF;
                int x1 = a[src + kk + 1] & 0xFF;
                dst[d++] = x0 | x1 << 16;
                sum += x0 + x1;
                or |= x0 | x1;
            }
            if (kk < k) {
                int x0 = a[src + kk] & 0xFF;
                dst[d++] = x0;
                sum += x0;
                or |= x0;
            }
            java.util.Arrays.fill(dst, d, r * kPairs + kPairs, 0);
            rowSum[r] = sum;
        }
        if (rowsPad > rows) {
            java.util.Arrays.fill(dst, rows * kPairs, rowsPad * kPairs, 0);
            java.util.Arrays.fill(rowSum, rows, rowsPad, 0);
        }
        return or;
    }
}
