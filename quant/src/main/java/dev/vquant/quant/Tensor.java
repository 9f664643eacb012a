package dev.vquant.quant;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.Shapes;
import dev.vquant.ops.convert.DeQuantize;
import dev.vquant.ops.convert.Layout;
import dev.vquant.ops.core.OutputArena;

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
 * {@code Flatten}) pays to move it back. Quantized tensors follow the same rule: the engines keep
 * 4-D activations channels-last, while weights and user data in PyTorch's order are contiguous
 * ({@link #ofQuantized}).
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
     * @param data  the elements in row-major order of {@code shape}; the tensor shares this array
     * @param shape PyTorch's logical shape (copied)
     * @return a float32 contiguous tensor viewing {@code data}
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
     *
     * @param t an engine float tensor, NHWC when 4-D
     * @return a float32 tensor sharing {@code t}'s storage
     * @throws NullPointerException when {@code t} is null
     */
    public static Tensor fromEngine(FloatTensor t) {
        Objects.requireNonNull(t, "t");
        // inside an OutputArena scope: the previous scope's wrapper of the same engine tensor (immutable, equal)
        Tensor kept = OutputArena.recall(Tensor.class);
        if (kept != null && kept.floats == t) {
            return kept;
        }
        return OutputArena.keep(t.rank() == 4
                ? new Tensor(new int[]{t.dim(0), t.dim(3), t.dim(1), t.dim(2)}, MemoryFormat.CHANNELS_LAST, t, null)
                : new Tensor(t.shape(), MemoryFormat.CONTIGUOUS, t, null));
    }

    /**
     * Wraps an engine quantized tensor as ops lays it out: 4-D ones are NHWC and become
     * channels-last tensors of logical shape {@code [N, C, H, W]}.
     *
     * @param q an engine quantized tensor, NHWC when 4-D
     * @return a quantized tensor sharing {@code q}'s storage
     * @throws NullPointerException when {@code q} is null
     */
    public static Tensor fromEngine(QTensor q) {
        Objects.requireNonNull(q, "q");
        // inside an OutputArena scope: the previous scope's wrapper of the same engine tensor (immutable, equal)
        Tensor kept = OutputArena.recall(Tensor.class);
        if (kept != null && kept.quantized == q) {
            return kept;
        }
        // 4-D: the logical shape from dim(i), without a copy of the stored one (called once per module per forward)
        return OutputArena.keep(q.rank() == 4
                ? new Tensor(new int[]{q.dim(0), q.dim(3), q.dim(1), q.dim(2)}, MemoryFormat.CHANNELS_LAST, null, q)
                : new Tensor(q.shape(), MemoryFormat.CONTIGUOUS, null, q));
    }

    /**
     * Wraps a quantized tensor whose data is in PyTorch's logical row-major order (a weight
     * {@code [out, in, kh, kw]}, or an image batch {@code [N, C, H, W]}); per-channel qparams name
     * a logical axis.
     *
     * @param q a quantized tensor in logical row-major order
     * @return a contiguous quantized tensor sharing {@code q}'s storage
     * @throws NullPointerException when {@code q} is null
     */
    public static Tensor ofQuantized(QTensor q) {
        Objects.requireNonNull(q, "q");
        return new Tensor(q.shape(), MemoryFormat.CONTIGUOUS, null, q);
    }

    /** {@return true for a quantized tensor (quint8, qint8 or qint32)} */
    public boolean isQuantized() {
        return quantized != null;
    }

    /** {@return PyTorch's logical shape (a copy): {@code [N, C, H, W]} for images whatever the memory format} */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The logical size along {@code i}.
     *
     * @param i a dimension index, {@code 0 <= i < rank()}
     * @return the size of dimension {@code i} in the logical shape
     * @throws ArrayIndexOutOfBoundsException when {@code i} is out of range
     */
    public int dim(int i) {
        return shape[i];
    }

    /** {@return the number of dimensions} */
    public int rank() {
        return shape.length;
    }

    /** {@return the number of elements} */
    public int numel() {
        return isQuantized() ? quantized.numel() : floats.numel();
    }

    /** {@return how the elements are laid out in memory} */
    public MemoryFormat memoryFormat() {
        return format;
    }

    /**
     * The float32 tensor in the layout ops expects (NHWC for 4-D), moving a contiguous 4-D tensor
     * to channels-last first (into an {@link OutputArena} array while a scope is open: the
     * operator's input lives no longer than the scope).
     *
     * @param consumer the operator asking; its {@code toString()} is named in the exception, built
     *                 only on that error path (a module passes itself, so a call builds no string)
     * @return the float32 engine tensor, NHWC when 4-D
     * @throws IllegalArgumentException when this tensor is quantized (naming {@code consumer}, with
     *                                  the fix: a DeQuantStub before it)
     */
    public FloatTensor engineFloat(Object consumer) {
        storageFloat(consumer);
        return format == MemoryFormat.CONTIGUOUS && rank() == 4 ? channelsLast(true).floats : floats;
    }

    /**
     * The quantized tensor in the layout ops expects (NHWC for 4-D).
     *
     * @param consumer the operator asking; its {@code toString()} is named in the exception, built
     *                 only on that error path (a module passes itself, so a call builds no string)
     * @return the quantized engine tensor, NHWC when 4-D
     * @throws IllegalArgumentException when this tensor is float (naming {@code consumer}, with the
     *                                  fix: a QuantStub before it)
     */
    public QTensor engineQuantized(Object consumer) {
        if (!isQuantized()) {
            throw new IllegalArgumentException(consumer + " expects a quantized tensor but got a float tensor of shape "
                    + Arrays.toString(shape) + "; insert a QuantStub before " + consumer);
        }
        return format == MemoryFormat.CONTIGUOUS && rank() == 4 ? channelsLast(true).quantized : quantized;
    }

    /**
     * The quantized tensor with its data in PyTorch's logical row-major order (weights as
     * PyTorch stores them): the backing tensor when contiguous, else a copy moved from channels-last.
     *
     * @return the quantized tensor of the logical shape in row-major order
     * @throws IllegalArgumentException when this tensor is float
     */
    public QTensor toQuantizedContiguous() {
        if (!isQuantized()) {
            throw new IllegalArgumentException("toQuantizedContiguous() needs a quantized tensor; this one is float32");
        }
        if (format == MemoryFormat.CONTIGUOUS) {
            return quantized;
        }
        byte[] nchw = Layout.nhwcToNchw(quantized.bytes(), shape[0], shape[2], shape[3], shape[1]);
        return QTensor.of(nchw, shape, moveAxis(quantized.qparams(), NHWC_TO_LOGICAL_AXIS));
    }

    /**
     * The float32 values in logical row-major order as an engine tensor of the logical shape, for
     * operators that do not move channels (Linear over the last dimension, LSTM); a channels-last
     * tensor is copied back to logical order.
     *
     * @param consumer the operator asking; its {@code toString()} is named in the exception, built
     *                 only on that error path (a module passes itself, so a call builds no string)
     * @return an engine tensor of the logical shape in row-major order
     * @throws IllegalArgumentException when this tensor is quantized (naming {@code consumer}, with
     *                                  the fix: a DeQuantStub before it)
     */
    public FloatTensor contiguousFloat(Object consumer) {
        FloatTensor stored = storageFloat(consumer);
        return format == MemoryFormat.CONTIGUOUS ? stored : FloatTensor.of(toFloatArray(), shape);
    }

    /**
     * The float32 values as they lie in memory, without moving them: NHWC ({@code [N, H, W, C]})
     * for a channels-last tensor, the logical shape otherwise. For element-wise operators, whose
     * result goes back through {@link #withStorage}.
     *
     * @param consumer the operator asking; its {@code toString()} is named in the exception, built
     *                 only on that error path (a module passes itself, so a call builds no string)
     * @return the backing float32 engine tensor, not copied
     * @throws IllegalArgumentException when this tensor is quantized (naming {@code consumer}, with
     *                                  the fix: a DeQuantStub before it)
     */
    public FloatTensor storageFloat(Object consumer) {
        if (isQuantized()) {
            throw new IllegalArgumentException(consumer + " expects a float tensor but got a quantized " + quantized.dtype()
                    + " tensor of shape " + Arrays.toString(shape) + "; insert a DeQuantStub before " + consumer);
        }
        return floats;
    }

    /**
     * A float tensor of this tensor's logical shape and memory format over {@code storage}, which
     * is laid out as {@link #storageFloat} lays this one out (the result of an element-wise
     * operator on it).
     *
     * @param storage the new elements, laid out as this tensor's storage
     * @return a float tensor of this tensor's shape and memory format over {@code storage}
     * @throws NullPointerException     when {@code storage} is null
     * @throws IllegalArgumentException when {@code storage} has another element count
     */
    public Tensor withStorage(FloatTensor storage) {
        Objects.requireNonNull(storage, "storage");
        if (storage.numel() != numel()) {
            throw new IllegalArgumentException("storage of " + storage.numel() + " elements for a tensor of shape "
                    + Arrays.toString(shape) + " (" + numel() + " elements)");
        }
        // inside an OutputArena scope: the previous scope's tensor over the same array (immutable, equal)
        Tensor kept = OutputArena.recall(Tensor.class);
        if (kept != null && kept.floats != null && kept.floats.data() == storage.data() && kept.format == format
                && Arrays.equals(kept.shape, shape)) {
            return kept;
        }
        int[] stored = format == MemoryFormat.CHANNELS_LAST ? new int[]{shape[0], shape[2], shape[3], shape[1]} : shape;
        return OutputArena.keep(new Tensor(shape, format, FloatTensor.of(storage.data(), stored), null));
    }

    /**
     * This tensor in channels-last memory (itself when it already is, or not 4-D).
     *
     * @return this tensor with its data in NHWC order, logical shape unchanged
     * @throws IllegalArgumentException when this is a 4-D qint32 tensor (which has no byte storage to move)
     */
    public Tensor toChannelsLast() {
        return channelsLast(false);
    }

    /** {@link #toChannelsLast()}, into an {@link OutputArena} array when {@code forOperator}. */
    private Tensor channelsLast(boolean forOperator) {
        if (format == MemoryFormat.CHANNELS_LAST || rank() != 4) {
            return this;
        }
        if (isQuantized()) {
            if (quantized.bytes() == null) {
                throw new IllegalArgumentException("a 4-D qint32 tensor cannot move to channels-last");
            }
            byte[] nchw = quantized.bytes();
            byte[] nhwc = Layout.nchwToNhwc(nchw, shape[0], shape[1], shape[2], shape[3],
                    forOperator ? OutputArena.bytes(nchw.length) : new byte[nchw.length]);
            QTensor q = QTensor.of(nhwc, new int[]{shape[0], shape[2], shape[3], shape[1]},
                    moveAxis(quantized.qparams(), LOGICAL_TO_NHWC_AXIS));
            return new Tensor(shape, MemoryFormat.CHANNELS_LAST, null, q);
        }
        float[] nchw = floats.data();
        float[] nhwc = Layout.nchwToNhwc(nchw, shape[0], shape[1], shape[2], shape[3],
                forOperator ? OutputArena.floats(nchw.length) : new float[nchw.length]);
        if (forOperator) { // an arena array: the previous scope's moved tensor over it, when it fits
            Tensor kept = OutputArena.recall(Tensor.class);
            if (kept != null && kept.floats != null && kept.format == MemoryFormat.CHANNELS_LAST && kept.floats.data() == nhwc
                    && Arrays.equals(kept.shape, shape)) {
                return kept;
            }
        }
        Tensor t = new Tensor(shape, MemoryFormat.CHANNELS_LAST, FloatTensor.of(nhwc, shape[0], shape[2], shape[3], shape[1]), null);
        return forOperator ? OutputArena.keep(t) : t;
    }

    /**
     * The float32 values in PyTorch's logical row-major order: the backing array when the tensor is
     * contiguous, else a copy moved from channels-last.
     *
     * @return the elements in logical row-major order (the backing array, not a copy, when contiguous)
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

    /** {@return this tensor in contiguous memory (moved from channels-last when needed)} */
    public Tensor contiguous() {
        if (format == MemoryFormat.CONTIGUOUS) {
            return this;
        }
        return isQuantized() ? ofQuantized(toQuantizedContiguous()) : of(toFloatArray(), shape);
    }

    /**
     * The float32 values of a quantized tensor, {@code (q - zero_point) * scale} as PyTorch's
     * {@code dequantize()} computes them, in the same memory format; a float tensor returns itself.
     *
     * @return a float32 tensor of the same shape and memory format
     */
    public Tensor dequantize() {
        if (!isQuantized()) {
            return this;
        }
        return fromEngine(DEQUANTIZE.forward(quantized));
    }

    /** Where logical axis i (N, C, H, W) lives in NHWC memory, and back. */
    private static final DeQuantize DEQUANTIZE = new DeQuantize(1);
    private static final int[] LOGICAL_TO_NHWC_AXIS = {0, 3, 1, 2};
    private static final int[] NHWC_TO_LOGICAL_AXIS = {0, 2, 3, 1};

    private static QParams moveAxis(QParams q, int[] axisMap) {
        if (q instanceof QParams.PerChannel pc) {
            return QParams.perChannel(pc.scales(), pc.zeroPoints(), axisMap[pc.axis()], pc.dtype());
        }
        return q;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "(" + (isQuantized() ? quantized.dtype().toString() : "float32")
                + (rank() == 4 ? ", " + format.name().toLowerCase(Locale.ROOT) : "") + ")";
    }
}
