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
     * A qint32 tensor over {@code data} (not copied).
     *
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

    public DType dtype() {
        return qparams.dtype();
    }

    public QParams qparams() {
        return qparams;
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
        return bytes != null ? bytes.length : ints.length;
    }

    /** The backing byte array (quint8/qint8), not a copy. */
    public byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("a " + dtype() + " tensor has no byte data");
        }
        return bytes;
    }

    /** The backing int array (qint32), not a copy. */
    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException("a " + dtype() + " tensor has no int data");
        }
        return ints;
    }

    /** Stored integer of flat element {@code i}. */
    public int intAt(int i) {
        return bytes != null ? dtype().load(bytes, i) : ints[i];
    }

    @Override
    public String toString() {
        return "QTensor[" + dtype() + " " + Arrays.toString(shape) + ", " + qparams + "]";
    }
}
