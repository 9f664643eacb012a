package dev.vquant.engine;

import java.util.Arrays;

/**
 * A float32 tensor: row-major data in the order of {@link #shape()}; 4-D activations are NHWC.
 * The array is not copied (callers hand it over and must not modify it afterwards).
 */
public final class FloatTensor {
    private final float[] data;
    private final int[] shape;

    private FloatTensor(float[] data, int[] shape) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        this.shape = shape == null ? null : shape.clone();
        Shapes.checkLength(this.shape, data.length, "float tensor");
        this.data = data;
    }

    /**
     * A float32 tensor over {@code data} (not copied).
     *
     * @throws IllegalArgumentException for null data or shape, a shape {@link Shapes#numel}
     *                                  rejects, or one that does not hold {@code data.length} elements
     */
    public static FloatTensor of(float[] data, int... shape) {
        return new FloatTensor(data, shape);
    }

    /** The backing array, not a copy. */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /**
     * Size of dimension {@code i}.
     *
     * @throws IllegalArgumentException when {@code i} is not in {@code [0, rank)}
     */
    public int dim(int i) {
        return Shapes.dim(shape, i);
    }

    public int numel() {
        return data.length;
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
