package dev.vquant.quant.nn;

import dev.vquant.engine.Shapes;
import dev.vquant.quant.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float32 array a module owns: a learnable parameter (PyTorch's {@code nn.Parameter}, with
 * a gradient for training) or a buffer such as BatchNorm's running statistics
 * ({@code requiresGrad() == false}). Values are in PyTorch's logical row-major order ({@code [out,
 * in, kh, kw]} for a convolution weight) so state dicts load unchanged.
 *
 * <p>Mutable, because training and {@code loadStateDict} update it in place: every change goes
 * through {@link #copyFrom} or is announced with {@link #markModified()}, which bumps
 * {@link #version()} so modules that packed the values for an engine know to pack them again.
 * Not thread-safe for writes; concurrent forwards that only read are safe.
 */
public final class Parameter {
    private final int[] shape;
    private final float[] data;
    private final boolean requiresGrad;
    private float[] grad;
    private long version;

    private Parameter(float[] data, int[] shape, boolean requiresGrad) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        this.shape = shape.clone();
        Shapes.checkLength(this.shape, data.length, "parameter");
        this.data = data;
        this.requiresGrad = requiresGrad;
    }

    /**
     * A learnable parameter over {@code data} (not copied) of logical {@code shape}.
     *
     * @param data  the values in row-major order, {@code numel(shape)} of them
     * @param shape the logical shape (copied)
     * @return a new parameter that requires a gradient
     */
    public static Parameter of(float[] data, int... shape) {
        return new Parameter(data, shape, true);
    }

    /**
     * A zero-filled learnable parameter.
     *
     * @param shape the logical shape
     * @return a new parameter that requires a gradient
     */
    public static Parameter zeros(int... shape) {
        return of(new float[Shapes.numel(shape)], shape);
    }

    /**
     * A buffer (no gradient) over {@code data} (not copied): running statistics, counters.
     *
     * @param data  the values in row-major order, {@code numel(shape)} of them
     * @param shape the logical shape (copied)
     * @return a new buffer
     */
    public static Parameter buffer(float[] data, int... shape) {
        return new Parameter(data, shape, false);
    }

    /** {@return an independent copy: same values, shape, kind and version; the gradient is not copied} */
    public Parameter copy() {
        Parameter p = new Parameter(data.clone(), shape, requiresGrad);
        p.version = version;
        return p;
    }

    /** {@return the logical shape (a copy)} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the number of elements} */
    public int numel() {
        return data.length;
    }

    /** {@return whether training computes a gradient for it (false for buffers)} */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * The backing array in logical order, not a copy: writers must call {@link #markModified()}
     * afterwards.
     *
     * @return the backing array
     */
    public float[] data() {
        return data;
    }

    /** {@return the values as a contiguous {@link Tensor} sharing this array} */
    public Tensor tensor() {
        return Tensor.of(data, shape);
    }

    /**
     * Replaces the values with {@code values} (copied), as {@code loadStateDict} does.
     *
     * @param values the new values, {@link #numel()} of them
     * @throws IllegalArgumentException when the length differs from {@link #numel()}
     */
    public void copyFrom(float[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length != data.length) {
            throw new IllegalArgumentException("parameter of shape " + Arrays.toString(shape) + " holds " + data.length
                    + " values, got " + values.length);
        }
        System.arraycopy(values, 0, data, 0, data.length);
        markModified();
    }

    /** Announces an in-place change of {@link #data()} (bumps {@link #version()}). */
    public void markModified() {
        version++;
    }

    /** {@return a counter that changes whenever the values do} */
    public long version() {
        return version;
    }

    /**
     * The gradient accumulated by training (same shape, created zero-filled on first use).
     *
     * @return the gradient's backing array, {@link #numel()} values
     * @throws IllegalStateException for a buffer
     */
    public float[] grad() {
        if (!requiresGrad) {
            throw new IllegalStateException("a buffer has no gradient");
        }
        if (grad == null) {
            grad = new float[data.length];
        }
        return grad;
    }

    /** Sets the gradient to zero (PyTorch's {@code zero_grad}); nothing to do for a buffer. */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, 0f);
        }
    }

    @Override
    public String toString() {
        return (requiresGrad ? "Parameter" : "Buffer") + Arrays.toString(shape);
    }
}
