package dev.vquant.engine;

import java.util.Arrays;

/** Shape arithmetic and validation shared by the tensor types. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * Number of elements of {@code shape}. The product of its non-zero dimensions must fit an
     * {@code int}, even when a zero dimension makes the tensor empty: then every product of some of
     * its dimensions (the outer/inner extents operators compute) fits an {@code int} too.
     *
     * @param shape the dimensions
     * @return the product of all dimensions (0 when one is 0)
     * @throws IllegalArgumentException for a null shape, a negative dimension, or non-zero
     *                                  dimensions whose product exceeds {@code 2^31-1}
     */
    public static int numel(int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        long nonZero = 1;
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d + " in shape " + Arrays.toString(shape));
            }
            if (d == 0) {
                empty = true;
                continue;
            }
            nonZero *= d;
            if (nonZero > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + ": the product of its non-zero dimensions"
                        + " exceeds 2^31-1");
            }
        }
        return empty ? 0 : (int) nonZero;
    }

    /**
     * {@code a * b * ...} for an operator's output extent, under the rule of {@link #numel}: the
     * product of the non-zero factors must fit an {@code int}. Call it before allocating.
     *
     * @param what    names the extent in the message
     * @param factors the factors, each {@code >= 0}
     * @return their product
     * @throws IllegalArgumentException naming {@code what} and the factors for a negative factor or
     *                                  non-zero factors whose product exceeds {@code 2^31-1}
     */
    public static int product(String what, int... factors) {
        long p = 1;
        boolean empty = false;
        for (int f : factors) {
            if (f < 0) {
                throw new IllegalArgumentException(what + ": negative extent " + f + " in " + joined(factors));
            }
            if (f == 0) {
                empty = true;
                continue;
            }
            p *= f;
            if (p > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + ": " + joined(factors) + " elements exceed 2^31-1");
            }
        }
        return empty ? 0 : (int) p;
    }

    /**
     * Dimension {@code i} of {@code shape}, for the tensors' {@code dim(i)}.
     *
     * @throws IllegalArgumentException when {@code i} is not in {@code [0, rank)}
     */
    static int dim(int[] shape, int i) {
        if (i < 0 || i >= shape.length) {
            throw new IllegalArgumentException("dimension " + i + " is out of range for shape " + Arrays.toString(shape)
                    + " (rank " + shape.length + ")");
        }
        return shape[i];
    }

    private static String joined(int[] factors) {
        StringBuilder b = new StringBuilder();
        for (int f : factors) {
            b.append(b.length() == 0 ? "" : " x ").append(f);
        }
        return b.toString();
    }

    /**
     * Throws unless {@code length} equals the element count of {@code shape}.
     *
     * @param shape  the dimensions
     * @param length the array length that must match
     * @param what   names the tensor in the message
     * @throws IllegalArgumentException for a shape {@link #numel} rejects or a mismatched length
     */
    public static void checkLength(int[] shape, int length, String what) {
        int n = numel(shape);
        if (n != length) {
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but the data has " + length);
        }
    }
}
