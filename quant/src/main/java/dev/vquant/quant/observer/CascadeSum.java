package dev.vquant.quant.observer;

/**
 * {@code torch.sum} of a contiguous float32 vector, in PyTorch's order (ATen's {@code cascade_sum},
 * {@code SumKernel.cpp}): float32 accumulators, 8-lane vectors as the AVX2 kernels use (the CPU
 * capability of PyTorch 1.13 builds that generated the golden data), four interleaved rows, and
 * running sums cascaded into levels of 16 elements so that only similar magnitudes are added.
 * The order decides the last bits of a float sum, and HistogramObserver compares such sums, so
 * bit-exactness with PyTorch needs this exact order; a PyTorch build that dispatches AVX-512
 * (16 lanes) can differ in the last bit.
 */
final class CascadeSum {
    /** Lanes of PyTorch's {@code Vectorized<float>} under AVX2. */
    static final int LANES = 8;
    private static final int ROWS = 4;
    private static final int LEVELS = 4;

    private CascadeSum() {
    }

    /** The float32 sum of {@code x}, as PyTorch computes it. */
    static float sum(float[] x) {
        int n = x.length;
        if (n < LANES) {
            // scalar_inner_sum: the same cascade over single elements
            return rowSum(x, n, 1)[0];
        }
        int vectors = n / LANES;
        float[] acc = rowSum(x, vectors, LANES);
        float total = 0f;
        for (int k = vectors * LANES; k < n; k++) {
            total += x[k];
        }
        for (int lane = 0; lane < LANES; lane++) {
            total += acc[lane];
        }
        return 0f + total; // the output starts at 0 and is accumulated into
    }

    /**
     * ATen's {@code row_sum}: {@code count} groups of {@code width} consecutive elements, read as
     * four interleaved rows (instruction-level parallelism), each summed by {@link #multiRowSum};
     * the leftover groups go to row 0, then the rows are added. Returns {@code width} lane sums.
     */
    private static float[] rowSum(float[] x, int count, int width) {
        int perRow = count / ROWS;
        float[][] rows = multiRowSum(x, perRow, width);
        float[] acc = rows[0];
        for (int g = perRow * ROWS; g < count; g++) {
            addGroup(acc, x, g, width);
        }
        for (int r = 1; r < ROWS; r++) {
            for (int lane = 0; lane < width; lane++) {
                acc[lane] += rows[r][lane];
            }
        }
        return acc;
    }

    /**
     * ATen's {@code multi_row_sum}: per row, a running sum of {@code levelStep} groups at a time,
     * each completed chunk carried up through up to four levels.
     */
    private static float[][] multiRowSum(float[] x, int size, int width) {
        int levelPower = Math.max(4, ceilLog2(size) / LEVELS);
        int levelStep = 1 << levelPower;
        int levelMask = levelStep - 1;
        float[][][] acc = new float[LEVELS][ROWS][width];
        int i = 0;
        while (i + levelStep <= size) {
            for (int j = 0; j < levelStep; j++, i++) {
                for (int r = 0; r < ROWS; r++) {
                    addGroup(acc[0][r], x, i * ROWS + r, width);
                }
            }
            for (int j = 1; j < LEVELS; j++) {
                for (int r = 0; r < ROWS; r++) {
                    for (int lane = 0; lane < width; lane++) {
                        acc[j][r][lane] += acc[j - 1][r][lane];
                        acc[j - 1][r][lane] = 0f;
                    }
                }
                if ((i & (levelMask << (j * levelPower))) != 0) {
                    break;
                }
            }
        }
        for (; i < size; i++) {
            for (int r = 0; r < ROWS; r++) {
                addGroup(acc[0][r], x, i * ROWS + r, width);
            }
        }
        for (int j = 1; j < LEVELS; j++) {
            for (int r = 0; r < ROWS; r++) {
                for (int lane = 0; lane < width; lane++) {
                    acc[0][r][lane] += acc[j][r][lane];
                }
            }
        }
        return acc[0];
    }

    private static void addGroup(float[] acc, float[] x, int group, int width) {
        int base = group * width;
        for (int lane = 0; lane < width; lane++) {
            acc[lane] += x[base + lane];
        }
    }

    /** ATen's {@code CeilLog2}: 1 for x &lt;= 2, else ceil(log2 x). */
    static int ceilLog2(long x) {
        return x <= 2 ? 1 : 64 - Long.numberOfLeadingZeros(x - 1);
    }
}
