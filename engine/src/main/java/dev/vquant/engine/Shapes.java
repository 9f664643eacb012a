package dev.vquant.engine;

import java.util.Arrays;

/** Shape arithmetic and validation shared by the tensor types. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * Number of elements of {@code shape}.
     *
     * @throws IllegalArgumentException for a null shape, a negative dimension or more than
     *                                  {@code Integer.MAX_VALUE} elements
     */
    public static int numel(int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Throws unless {@code length} equals the element count of {@code shape}. */
    public static void checkLength(int[] shape, int length, String what) {
        int n = numel(shape);
        if (n != length) {
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but the data has " + length);
        }
    }
}
