package dev.vquant.engine;

import java.util.Arrays;

/**
 * An immutable-by-contract quantized tensor: stored integers, shape and qparams.
 *
 * <p>Data is row-major in the order of {@link #shape()}. 4-D activations are NHWC: shape
 * {@code [N, H, W, C]} (PyTorch's logical NCHW is transposed on the way in). quint8 and qint8
 * data is a {@code byte[]} (quint8 read with {@code & 0xFF}), qint32 an {@code int[]}.
 *
 * <p>The arrays are not copied, for speed: callers hand them over and must not modify them
 * afterwards; {@link #bytes()} and {@link #ints()} expose the backing arrays for the same reason.
 */
public final class QTensor {
    private final byte[] bytes;
    private final int[] ints;
    private final int[] shape;
    private final QParams qparams;

    private QTensor(byte[] bytes, int[] ints, int[] shape, QParams qparams) {
        if (qparams == null) {
            throw new IllegalArgumentException("qparams must not be null");
        }
        this.shape = shape == null ? null : shape.clone();
        int length = bytes != null ? bytes.length : ints.length;
        Shapes.checkLength(this.shape, length, "quantized tensor");
        if (qparams instanceof QParams.PerChannel pc) {
            checkChannels(this.shape, pc);
        }
        this.bytes = bytes;
        this.ints = ints;
        this.qparams = qparams;
    }

    /** Per-channel qparams must name an axis of {@code shape} and have one entry per index along it. */
    static void checkChannels(int[] shape, QParams.PerChannel pc) {
        if (pc.axis() >= shape.length) {
            throw new IllegalArgumentException("per-channel axis " + pc.axis() + " is out of range for shape "
                    + Arrays.toString(shape));
        }
        if (shape[pc.axis()] != pc.count()) {
            throw new IllegalArgumentException("per-channel qparams have " + pc.count() + " channels but shape "
                    + Arrays.toString(shape) + " has " + shape[pc.axis()] + " along axis " + pc.axis());
        }
    }

    /**
     * A quint8 or qint8 tensor over {@code data} (not copied).
     *
     * @param data    the stored bytes, row-major (quint8 as unsigned)
     * @param shape   the dimensions (copied)
     * @param qparams quint8 or qint8 parameters
     * @return the tensor
     * @throws IllegalArgumentException for null data, shape or qparams, a shape {@link Shapes#numel}
     *                                  rejects or that does not hold {@code data.length} elements, a
     *                                  dtype other than quint8/qint8, or per-channel qparams whose
     *                                  axis or channel count does not fit the shape
     */
    public static QTensor of(byte[] data, int[] shape, QParams qparams) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (qparams != null && !qparams.dtype().isByte()) {
            throw new IllegalArgumentException("byte data needs dtype quint8 or qint8, got " + qparams.dtype());
        }
        return new QTensor(data, null, shape, qparams);
    }

    /**
     * A float weight quantized to qint8 in one call with {@code scheme}, as PyTorch's default weight
     * observers do ({@code MinMaxObserver} per tensor, {@code PerChannelMinMaxObserver} with
     * {@code ch_axis=0} per channel; full range, no reduce_range): qparams from the observed
     * minimum and maximum by {@link QParamsCalculator}, then {@link Quantization#quantize}.
     * <pre>QTensor w = QTensor.fromFloat(weight, QScheme.PER_CHANNEL_SYMMETRIC);</pre>
     *
     * @param weight the float tensor; per-channel schemes take channels along axis 0
     * @param scheme the quantization scheme
     * @return the qint8 tensor with its qparams
     * @throws IllegalArgumentException for a null argument, a NaN element, a rank-0 tensor under a
     *                                  per-channel scheme, or a range whose scale overflows float32
     */
    public static QTensor fromFloat(FloatTensor weight, QScheme scheme) {
        return fromFloat(weight, scheme, DType.QINT8);
    }

    /**
     * {@link #fromFloat(FloatTensor, QScheme)} into {@code dtype} (qint8 or quint8; a quint8
     * symmetric zero point is 128, as PyTorch's).
     *
     * @param x      the float tensor; per-channel schemes take channels along axis 0
     * @param scheme the quantization scheme
     * @param dtype  quint8 or qint8
     * @return the quantized tensor with its qparams
     * @throws IllegalArgumentException as {@link #fromFloat(FloatTensor, QScheme)}, and for another dtype
     */
    public static QTensor fromFloat(FloatTensor x, QScheme scheme, DType dtype) {
        if (x == null || scheme == null || dtype == null) {
            throw new IllegalArgumentException("fromFloat: " + (x == null ? "tensor" : scheme == null ? "scheme" : "dtype")
                    + " must not be null");
        }
        if (!dtype.isByte()) {
            throw new IllegalArgumentException("fromFloat quantizes to quint8 or qint8, got " + dtype);
        }
        QParamsCalculator calc = QParamsCalculator.of(dtype, scheme.arithmetic(), false);
        float[] data = x.data();
        if (!scheme.isPerChannel()) {
            float[] range = range(data, 0, data.length, "the tensor");
            return Quantization.quantize(x, calc.perTensor(range[0], range[1]));
        }
        if (x.rank() == 0 || x.dim(0) == 0) {
            throw new IllegalArgumentException("fromFloat: scheme " + scheme + " needs channels along axis 0, got shape "
                    + Arrays.toString(x.shape()));
        }
        int channels = x.dim(0);
        int inner = data.length / channels;
        float[] mins = new float[channels];
        float[] maxs = new float[channels];
        for (int c = 0; c < channels; c++) {
            float[] range = range(data, c * inner, (c + 1) * inner, "channel " + c);
            mins[c] = range[0];
            maxs[c] = range[1];
        }
        return Quantization.quantize(x, calc.perChannel(mins, maxs, 0));
    }

    /**
     * A float weight {@code data} of {@code shape} quantized to qint8 with {@code scheme}:
     * {@link #fromFloat(FloatTensor, QScheme)} of {@code FloatTensor.of(data, shape)}.
     *
     * @param data   the values, row-major
     * @param shape  the shape (PyTorch's, e.g. {@code [out_features, in_features]})
     * @param scheme the quantization scheme
     * @return the qint8 tensor with its qparams
     * @throws IllegalArgumentException as {@link #fromFloat(FloatTensor, QScheme)}, and when the
     *                                  shape does not hold {@code data.length} elements
     */
    public static QTensor fromFloat(float[] data, int[] shape, QScheme scheme) {
        return fromFloat(FloatTensor.of(data, shape), scheme);
    }

    /** {@code {min, max}} of {@code data[from, to)}, an observer's view; NaN names {@code what}. */
    private static float[] range(float[] data, int from, int to, String what) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            float v = data[i];
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("fromFloat: element " + i + " of " + what + " is NaN");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new float[] {min, max};
    }

    /**
     * A qint32 tensor over {@code data} (not copied).
     *
     * @param data    the stored int32 values, row-major
     * @param shape   the dimensions (copied)
     * @param qparams qint32 parameters
     * @return the tensor
     * @throws IllegalArgumentException as {@link #of}, and for a dtype other than qint32
     */
    public static QTensor ofInts(int[] data, int[] shape, QParams qparams) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (qparams != null && qparams.dtype() != DType.QINT32) {
            throw new IllegalArgumentException("int data needs dtype qint32, got " + qparams.dtype());
        }
        return new QTensor(null, data, shape, qparams);
    }

    /**
     * The quantized dtype, that of {@link #qparams()}.
     *
     * @return quint8 or qint8 for byte data, qint32 for int data
     */
    public DType dtype() {
        return qparams.dtype();
    }

    /**
     * The scale and zero point(s) that map the stored integers to real values.
     *
     * @return the immutable parameters, never null
     */
    public QParams qparams() {
        return qparams;
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
     * @return the length of the backing byte or int array
     */
    public int numel() {
        return bytes != null ? bytes.length : ints.length;
    }

    /** {@return the backing byte array (quint8/qint8), not a copy} */
    public byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("a " + dtype() + " tensor has no byte data");
        }
        return bytes;
    }

    /** {@return the backing int array (qint32), not a copy} */
    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException("a " + dtype() + " tensor has no int data");
        }
        return ints;
    }

    /**
     * Stored integer of flat element {@code i}.
     *
     * @param i flat (row-major) element index, in {@code [0, numel())}
     * @return the stored integer, not dequantized
     */
    public int intAt(int i) {
        return bytes != null ? dtype().load(bytes, i) : ints[i];
    }

    @Override
    public String toString() {
        return "QTensor[" + dtype() + " " + Arrays.toString(shape) + ", " + qparams + "]";
    }
}
