package dev.vquant.ops.convert;

/**
 * Moves 4-D data between PyTorch's logical NCHW order and the NHWC order every vquant operator
 * computes in. Pure index permutations: values are copied, never changed.
 */
public final class Layout {
    private Layout() {
    }

    /**
     * NCHW {@code [n][c][h][w]} to NHWC {@code [n][h][w][c]}.
     *
     * @throws IllegalArgumentException when a dimension is negative or their product is not {@code x.length}
     * @param x the NCHW elements
     * @param n the batch
     * @param c the channels
     * @param h the height
     * @param w the width
     * @return a new array in NHWC order
     */
    public static byte[] nchwToNhwc(byte[] x, int n, int c, int h, int w) {
        check(x.length, n, c, h, w);
        byte[] y = new byte[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h * w; i++) {
                    y[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
                }
            }
        }
        return y;
    }

    /**
     * NHWC {@code [n][h][w][c]} to NCHW {@code [n][c][h][w]}.
     *
     * @throws IllegalArgumentException when a dimension is negative or their product is not {@code x.length}
     * @param x the NHWC elements
     * @param n the batch
     * @param h the height
     * @param w the width
     * @param c the channels
     * @return a new array in NCHW order
     */
    public static byte[] nhwcToNchw(byte[] x, int n, int h, int w, int c) {
        return nhwcToNchw(x, n, h, w, c, new byte[x.length]);
    }

    /**
     * {@link #nhwcToNchw(byte[], int, int, int, int)} into {@code y}, which receives every element.
     *
     * @throws IllegalArgumentException when a dimension is negative, their product is not
     *                                  {@code x.length}, or {@code y} is {@code x} or of another length
     * @param x the NHWC elements
     * @param n the batch
     * @param h the height
     * @param w the width
     * @param c the channels
     * @param y the destination, {@code x.length} elements, not {@code x}
     * @return {@code y}, in NCHW order
     */
    public static byte[] nhwcToNchw(byte[] x, int n, int h, int w, int c, byte[] y) {
        check(x.length, n, c, h, w);
        if (y.length != x.length || y == x) {
            throw new IllegalArgumentException("Layout: destination of " + y.length + " elements for "
                    + x.length + " (a separate array of the same length is needed)");
        }
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h * w; i++) {
                    y[(b * c + ch) * h * w + i] = x[(b * h * w + i) * c + ch];
                }
            }
        }
        return y;
    }

    /**
     * float32 NCHW to NHWC.
     *
     * @throws IllegalArgumentException when a dimension is negative or their product is not {@code x.length}
     * @param x the NCHW elements
     * @param n the batch
     * @param c the channels
     * @param h the height
     * @param w the width
     * @return a new array in NHWC order
     */
    public static float[] nchwToNhwc(float[] x, int n, int c, int h, int w) {
        check(x.length, n, c, h, w);
        float[] y = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h * w; i++) {
                    y[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
                }
            }
        }
        return y;
    }

    /**
     * float32 NHWC to NCHW.
     *
     * @throws IllegalArgumentException when a dimension is negative or their product is not {@code x.length}
     * @param x the NHWC elements
     * @param n the batch
     * @param h the height
     * @param w the width
     * @param c the channels
     * @return a new array in NCHW order
     */
    public static float[] nhwcToNchw(float[] x, int n, int h, int w, int c) {
        return nhwcToNchw(x, n, h, w, c, new float[x.length]);
    }

    /**
     * {@link #nhwcToNchw(float[], int, int, int, int)} into {@code y}, which receives every element.
     *
     * @throws IllegalArgumentException when a dimension is negative, their product is not
     *                                  {@code x.length}, or {@code y} is {@code x} or of another length
     * @param x the NHWC elements
     * @param n the batch
     * @param h the height
     * @param w the width
     * @param c the channels
     * @param y the destination, {@code x.length} elements, not {@code x}
     * @return {@code y}, in NCHW order
     */
    public static float[] nhwcToNchw(float[] x, int n, int h, int w, int c, float[] y) {
        check(x.length, n, c, h, w);
        if (y.length != x.length || y == x) {
            throw new IllegalArgumentException("Layout: destination of " + y.length + " elements for "
                    + x.length + " (a separate array of the same length is needed)");
        }
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h * w; i++) {
                    y[(b * c + ch) * h * w + i] = x[(b * h * w + i) * c + ch];
                }
            }
        }
        return y;
    }

    private static void check(int length, int n, int c, int h, int w) {
        if (n < 0 || c < 0 || h < 0 || w < 0 || (long) n * c * h * w != length) {
            throw new IllegalArgumentException("Layout: " + n + "x" + c + "x" + h + "x" + w + " does not describe "
                    + length + " elements");
        }
    }
}
