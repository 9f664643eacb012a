package dev.vquant.x86.qgemm;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vector activation packers equal the scalar definition: pairs, zero padding, row sums and the 7-bit flag. */
class PackAWithRowSumsTest {

    @Property(tries = 60)
    void vectorPackersEqualScalar(@ForAll @IntRange(min = 1, max = 9) int rows, @ForAll @IntRange(max = 3) int extraRows,
                                  @ForAll @IntRange(min = 1, max = 200) int k, @ForAll @IntRange(max = 5) int ldaPad,
                                  @ForAll boolean sevenBit, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int lda = k + ldaPad;
        int off = rng.nextInt(4);
        byte[] a = new byte[off + rows * lda];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (rng.nextInt(4) == 0 ? (rng.nextBoolean() ? 0 : sevenBit ? 127 : 255)
                    : rng.nextInt(sevenBit ? 128 : 256));
        }
        int kPairs = ((k + 3) / 4) * 2;
        int rowsPad = rows + extraRows;
        int[] want = new int[rowsPad * kPairs];
        int[] wantSums = new int[rowsPad];
        int wantOr = PackAWithRowSums.pack(a, off, lda, rows, rowsPad, k, kPairs, want, wantSums);
        for (int width = 0; width < 2; width++) {
            int[] got = new int[rowsPad * kPairs];
            java.util.Arrays.fill(got, -1);
            int[] sums = new int[rowsPad];
            java.util.Arrays.fill(sums, -1);
            int or = width == 0 ? PackAWithRowSumsV512.pack(a, off, lda, rows, rowsPad, k, kPairs, got, sums)
                    : PackAWithRowSumsV256.pack(a, off, lda, rows, rowsPad, k, kPairs, got, sums);
            assertArrayEquals(want, got);
            assertArrayEquals(wantSums, sums);
            assertEquals(wantOr <= 127, or <= 127);
            assertEquals(wantOr, or);
        }
    }
}
