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
     * @param data  the elements, row-major (4-D activations NHWC)
     * @param shape the dimensions (copied)
     * @return the tensor
     * @throws IllegalArgumentException for null data or shape, a shape {@link Shapes#numel}
     *                                  rejects, or one that does not hold {@code data.length} elements
     */
    public static FloatTensor of(float[] data, int... shape) {
        return new FloatTensor(data, shape);
    }

    /** {@return the backing array, not a copy} */
    public float[] data() {
        return data;
    }

    /** {@return a copy of the shape} */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of dimensions.
     *
     * @return the length of {@link #shape()}; 0 for a scalar
     */
    public int rank() {
        return shape.length;
    }

    /**
     * Size of dimension {@code i}.
     *
     * @param i dimension index
     * @return the size of that dimension
     * @throws IllegalArgumentException when {@code i} is not in {@code [0, rank)}
     */
    public int dim(int i) {
        return Shapes.dim(shape, i);
    }

    /**
     * Number of elements, the product of the shape.
     *
     * @return {@code data().length}
     */
    public int numel() {
        return data.length;
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
