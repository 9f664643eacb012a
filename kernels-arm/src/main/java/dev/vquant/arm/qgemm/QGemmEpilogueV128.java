package dev.vquant.arm.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Turns the raw accumulators of the int8 GEMM micro-kernels into exact int32 accumulators, in
 * place, one tile row at a time. {@link #row} for the unsigned "pmu" form of
 * {@link QGemv1x8c2V128}:
 * <pre>acc[j] = s[j] - 65535*h[j] - rowFactor[j]*rowSum + aZeroPoint*colCorrection[j]   (mod 2^32)</pre>
 * with {@code rowFactor = 128 + zB} and {@code colCorrection = K*zB - colSum(W)} from
 * {@link PackedQGemmV128}. Columns are whole panels, so the row length is a multiple of 8.
 */
public final class QGemmEpilogueV128 {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;

    private QGemmEpilogueV128() {
    }

    /**
     * The unsigned "pmu" form (class comment), in place, for {@link QGemv1x8c2V128}'s raw sums.
     *
     * @param s             {@code s} accumulators of one row from {@code off} (overwritten with the result)
     * @param h             the matching {@code h} accumulators
     * @param off           index of the row's first accumulator in {@code s} and {@code h}
     * @param len           number of columns, a multiple of 4
     * @param rowSum        {@code sum_k A[k]} of this row
     * @param aZeroPoint    activation zero point {@code zA}
     * @param rowFactor     per column {@code 128 + zB[j]}, indexed by absolute column
     * @param colCorrection per column {@code K*zB[j] - colSum(W)[j]}, indexed by absolute column
     * @param col           absolute column of {@code s[off]}
     */
    public static void row(int[] s, int[] h, int off, int len, int rowSum, int aZeroPoint, int[] rowFactor,
                           int[] colCorrection, int col) {
        for (int t = 0; t < len; t += 4) {
            IntVector hv = IntVector.fromArray(I, h, off + t);
            IntVector acc = IntVector.fromArray(I, s, off + t).sub(hv.lanewise(VectorOperators.LSHL, 16)).add(hv);
            acc = acc.sub(IntVector.fromArray(I, rowFactor, col + t).mul(rowSum))
                    .add(IntVector.fromArray(I, colCorrection, col + t).mul(aZeroPoint));
            acc.intoArray(s, off + t);
        }
    }

    /**
     * The signed form of {@link QGemm4x8c4V128} / {@link QGemv1x8c4V128}, in place:
     * <pre>acc[j] = s[j] - 65535*h[j] - 65536*steps - zB[j]*rowSum' - (127 - aZeroPoint)*colCorrection[j]</pre>
     * with {@code rowSum' = sum_k (A[k] - 127)} and {@code steps = pairs/2}, all modulo 2^32.
     *
     * @param s             {@code s} accumulators of one row from {@code off} (overwritten with the result)
     * @param h             the matching {@code h} accumulators
     * @param off           index of the row's first accumulator in {@code s} and {@code h}
     * @param len           number of columns, a multiple of 4
     * @param rowSumSigned  {@code rowSum'} of this row
     * @param steps         two-K-pair steps the kernel took, {@code pairs/2}
     * @param aZeroPoint    activation zero point {@code zA}
     * @param zeroPoints    weight zero point {@code zB[j]} per absolute column
     * @param colCorrection per column {@code K*zB[j] - colSum(W)[j]}, indexed by absolute column
     * @param col           absolute column of {@code s[off]}
     */
    public static void rowSigned(int[] s, int[] h, int off, int len, int rowSumSigned, int steps, int aZeroPoint,
                                 int[] zeroPoints, int[] colCorrection, int col) {
        int bias = -65536 * steps;
        int offset = 127 - aZeroPoint;
        for (int t = 0; t < len; t += 4) {
            IntVector hv = IntVector.fromArray(I, h, off + t);
            IntVector acc = IntVector.fromArray(I, s, off + t).sub(hv.lanewise(VectorOperators.LSHL, 16)).add(hv).add(bias);
            acc = acc.sub(IntVector.fromArray(I, zeroPoints, col + t).mul(rowSumSigned))
                    .sub(IntVector.fromArray(I, colCorrection, col + t).mul(offset));
            acc.intoArray(s, off + t);
        }
    }
}
