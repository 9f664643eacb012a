package dev.vquant.quant;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.Shapes;
import dev.vquant.ops.convert.DeQuantize;
import dev.vquant.ops.convert.Layout;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The value that flows between {@link dev.vquant.quant.nn.Module modules}: float32 or quantized,
 * always described by PyTorch's logical shape ({@code [N, C, H, W]} for images) so model code and
 * data port from PyTorch unchanged. Like PyTorch's {@code channels_last}, a 4-D tensor also has a
 * {@link MemoryFormat}: vquant's operators compute in NHWC, so the first convolution or pooling
 * moves a {@link MemoryFormat#CONTIGUOUS contiguous} input to {@link MemoryFormat#CHANNELS_LAST}
 * once, every later layer keeps it, and only a reader of logical order ({@link #toFloatArray()},
 * {@code Flatten}) pays to move it back. Quantized 4-D tensors are always channels-last (that is
 * how the engines store them).
 *
 * <p>Immutable by contract: the backing arrays are not copied on the way in or out (for speed);
 * callers must not modify an array after handing it over.
 */
public final class Tensor {

    /** How a 4-D tensor's elements are laid out in memory. Tensors of other ranks are contiguous. */
    public enum MemoryFormat {
        /** Row-major in the order of the logical shape (NCHW for images), PyTorch's default. */
        CONTIGUOUS,
        /** NHWC: channels innermost, the layout vquant's convolution and pooling kernels use. */
        CHANNELS_LAST
    }

    private final int[] shape;
    private final MemoryFormat format;
    private final FloatTensor floats;
    private final QTensor quantized;

    private Tensor(int[] shape, MemoryFormat format, FloatTensor floats, QTensor quantized) {
        this.shape = shape;
        this.format = format;
        this.floats = floats;
        this.quantized = quantized;
    }

    /**
     * A contiguous float32 tensor over {@code data} (not copied) in PyTorch's logical order.
     *
     * @throws IllegalArgumentException when {@code data.length} is not the product of {@code shape},
     *                                  or a dimension is negative
     * @throws NullPointerException     when {@code data} or {@code shape} is null
     */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        int[] s = shape.clone();
        Shapes.checkLength(s, data.length, "tensor");
        return new Tensor(s, MemoryFormat.CONTIGUOUS, FloatTensor.of(data, s), null);
    }

    /**
     * Wraps an engine float tensor as ops lays it out: 4-D ones are NHWC ({@code [N, H, W, C]}) and
     * become channels-last tensors of logical shape {@code [N, C, H, W]}; other ranks are contiguous.
     */
    public static Tensor fromEngine(FloatTensor t) {
        Objects.requireNonNull(t, "t");
        int[] s = t.shape();
        return s.length == 4
                ? new Tensor(new int[]{s[0], s[3], s[1], s[2]}, MemoryFormat.CHANNELS_LAST, t, null)
                : new Tensor(s, MemoryFormat.CONTIGUOUS, t, null);
    }

    /**
     * Wraps an engine quantized tensor as ops lays it out: 4-D ones are NHWC and become
     * channels-last tensors of logical shape {@code [N, C, H, W]}.
     */
    public static Tensor fromEngine(QTensor q) {
        Objects.requireNonNull(q, "q");
        int[] s = q.shape();
        return s.length == 4
                ? new Tensor(new int[]{s[0], s[3], s[1], s[2]}, MemoryFormat.CHANNELS_LAST, null, q)
                : new Tensor(s, MemoryFormat.CONTIGUOUS, null, q);
    }

    /** True for a quantized tensor (quint8, qint8 or qint32). */
    public boolean isQuantized() {
        return quantized != null;
    }

    /** PyTorch's logical shape (a copy): {@code [N, C, H, W]} for images whatever the memory format. */
    public int[] shape() {
        return shape.clone();
    }

    /** The logical size along {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        return isQuantized() ? quantized.numel() : floats.numel();
    }

    /** How the elements are laid out in memory. */
    public MemoryFormat memoryFormat() {
        return format;
    }

    /**
     * The float32 tensor in the layout ops expects (NHWC for 4-D), moving a contiguous 4-D tensor
     * to channels-last first.
     *
     * @throws IllegalArgumentException when this tensor is quantized (naming {@code consumer}, with
     *                                  the fix: a DeQuantStub before it)
     */
    public FloatTensor engineFloat(String consumer) {
        if (isQuantized()) {
            throw new IllegalArgumentException(consumer + " expects a float tensor but got a quantized " + quantized.dtype()
                    + " tensor of shape " + Arrays.toString(shape) + "; insert a DeQuantStub before " + consumer);
        }
        return format == MemoryFormat.CONTIGUOUS && rank() == 4 ? toChannelsLast().floats : floats;
    }

    /**
     * The quantized tensor in the layout ops expects (NHWC for 4-D).
     *
     * @throws IllegalArgumentException when this tensor is float (naming {@code consumer}, with the
     *                                  fix: a QuantStub before it)
     */
    public QTensor engineQuantized(String consumer) {
        if (!isQuantized()) {
            throw new IllegalArgumentException(consumer + " expects a quantized tensor but got a float tensor of shape "
                    + Arrays.toString(shape) + "; insert a QuantStub before " + consumer);
        }
        return quantized;
    }

    /** This float tensor in channels-last memory (itself when it already is, or not 4-D). */
    public Tensor toChannelsLast() {
        if (format == MemoryFormat.CHANNELS_LAST || rank() != 4) {
            return this;
        }
        float[] nhwc = Layout.nchwToNhwc(floats.data(), shape[0], shape[1], shape[2], shape[3]);
        return new Tensor(shape, MemoryFormat.CHANNELS_LAST, FloatTensor.of(nhwc, shape[0], shape[2], shape[3], shape[1]), null);
    }

    /**
     * The float32 values in PyTorch's logical row-major order: the backing array when the tensor is
     * contiguous, else a copy moved from channels-last.
     *
     * @throws IllegalArgumentException when this tensor is quantized (call {@link #dequantize()} first)
     */
    public float[] toFloatArray() {
        if (isQuantized()) {
            throw new IllegalArgumentException("toFloatArray() needs a float tensor; this one is quantized ("
                    + quantized.dtype() + "): call dequantize() first");
        }
        if (format == MemoryFormat.CONTIGUOUS) {
            return floats.data();
        }
        return Layout.nhwcToNchw(floats.data(), shape[0], shape[2], shape[3], shape[1]);
    }

    /** This tensor viewed as contiguous float32 (moved from channels-last when needed). */
    public Tensor contiguous() {
        if (format == MemoryFormat.CONTIGUOUS) {
            return this;
        }
        return of(toFloatArray(), shape);
    }

    /**
     * The float32 values of a quantized tensor, {@code (q - zero_point) * scale} as PyTorch's
     * {@code dequantize()} computes them, in the same memory format; a float tensor returns itself.
     */
    public Tensor dequantize() {
        if (!isQuantized()) {
            return this;
        }
        return fromEngine(new DeQuantize(1).forward(quantized));
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "(" + (isQuantized() ? quantized.dtype().toString() : "float32")
                + (rank() == 4 ? ", " + format.name().toLowerCase(Locale.ROOT) : "") + ")";
    }
}
