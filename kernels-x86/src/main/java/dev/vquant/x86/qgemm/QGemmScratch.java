package dev.vquant.x86.qgemm;

/**
 * Per-thread buffers of the int8 GEMM drivers, grown on demand and reused, so a steady state of
 * calls allocates nothing: packed activation pairs, their row sums, the raw accumulator tile of
 * one row block by one panel (and a second one for later reduction blocks), and the thread's
 * output stages.
 */
final class QGemmScratch {
    private static final ThreadLocal<QGemmScratch> SCRATCH = ThreadLocal.withInitial(QGemmScratch::new);

    int[] pairs = new int[0];
    int[] rowSum = new int[0];
    int[] tile = new int[0];
    int[] tile2 = new int[0];
    /** Row and K index of each outlier of a 7-bit block ({@link QGemmDriver#MAX_OUTLIERS_SHIFT}). */
    int[] outliers = new int[0];
    final OutputStages stages = new OutputStages();

    /** The calling thread's scratch. */
    static QGemmScratch get() {
        return SCRATCH.get();
    }

    /** Makes room for {@code rows} packed rows of {@code kPairs} and a {@code rows x nr} tile. */
    QGemmScratch ensure(int rows, int kPairs, int nr) {
        long need = (long) rows * kPairs;
        if (need > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("activation block of " + rows + " rows x " + 2L * kPairs
                    + " values is too large");
        }
        if (pairs.length < need) {
            pairs = new int[(int) need];
        }
        if (rowSum.length < rows) {
            rowSum = new int[rows];
        }
        int maxOutliers = QGemmDriver.maxOutliers(rows, 2 * kPairs);
        if (outliers.length < 2 * maxOutliers) {
            outliers = new int[2 * maxOutliers];
        }
        if (tile.length < rows * nr) {
            tile = new int[rows * nr];
            tile2 = new int[rows * nr];
        }
        return this;
    }
}
