package dev.vquant.x86.qgemm;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PackAWithRowSums} with 256-bit vectors: 16 activation bytes zero-extended to 16 shorts
 * are, read as 8 ints, exactly 8 packed pairs {@code A[2q] | A[2q+1] << 16}; the row sum is
 * {@code s - 65535 * h} over the pair ints ({@code s += pair, h += pair >>> 16}, as in the GEMM
 * kernels) and the OR of all bytes is kept for the 7-bit check. The tail of each row is scalar.
 */
final class PackAWithRowSumsV256 {
    static final VectorSpecies<Byte> SB = ByteVector.SPECIES_128;
    static final VectorSpecies<Short> SS = ShortVector.SPECIES_256;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_256;
    static final int BYTES = 16;

    private PackAWithRowSumsV256() {
    }

    /** Same contract as {@link PackAWithRowSums#pack}. */
    static int pack(byte[] a, int off, int lda, int rows, int rowsPad, int k, int kPairs, int[] dst, int[] rowSum) {
        ByteVector or = ByteVector.zero(SB);
        int orTail = 0;
        for (int r = 0; r < rows; r++) {
            int src = off + r * lda;
            int d = r * kPairs;
            IntVector s = IntVector.zero(SI);
            IntVector h = s;
            int kk = 0;
            for (; kk + BYTES <= k; kk += BYTES) {
                ByteVector x = ByteVector.fromArray(SB, a, src + kk);
                or = or.or(x);
                IntVector p = (IntVector) x.convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0).reinterpretShape(SI, 0);
                p.intoArray(dst, d + kk / 2);
                s = s.add(p);
                h = h.add(p.lanewise(VectorOperators.LSHR, 16));
            }
            int sum = s.sub(h.mul(65535)).reduceLanes(VectorOperators.ADD);
            int dd = d + kk / 2;
            for (; kk + 1 < k; kk += 2) {
                int x0 = a[src + kk] & 0xFF;
                int x1 = a[src + kk + 1] & 0xFF;
                dst[dd++] = x0 | x1 << 16;
                sum += x0 + x1;
                orTail |= x0 | x1;
            }
            if (kk < k) {
                int x0 = a[src + kk] & 0xFF;
                dst[dd++] = x0;
                sum += x0;
                orTail |= x0;
            }
            java.util.Arrays.fill(dst, dd, d + kPairs, 0);
            rowSum[r] = sum;
        }
        if (rowsPad > rows) {
            java.util.Arrays.fill(dst, rows * kPairs, rowsPad * kPairs, 0);
            java.util.Arrays.fill(rowSum, rows, rowsPad, 0);
        }
        return (or.reduceLanes(VectorOperators.OR) & 0xFF) | orTail;
    }
}
