package dev.vquant.ops.core;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;

/**
 * The tensor objects operators wrap their outputs in, reused from the calling thread's open
 * {@link OutputArena} scope: inside a scope an operator writes the same arena array on every call,
 * so the wrapper of the previous scope (same array, shape and qparams) is returned again instead
 * of a new one ({@link OutputArena#recall}); without a scope every call builds a new tensor, as
 * {@link QTensor#of} and {@link FloatTensor#of} do. Shapes are passed as dimensions, not arrays,
 * so that a reused wrapper costs no allocation at all.
 */
public final class OutputTensors {
    private OutputTensors() {
    }

    /**
     * A 4-D quint8/qint8 tensor {@code [d0, d1, d2, d3]} over {@code data}.
     *
     * @param data the elements (the operator's output array)
     * @param qp   the qparams (quint8 or qint8)
     * @param d0   dimension 0
     * @param d1   dimension 1
     * @param d2   dimension 2
     * @param d3   dimension 3
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link QTensor#of(byte[], int[], QParams)}
     */
    public static QTensor quantized(byte[] data, QParams qp, int d0, int d1, int d2, int d3) {
        QTensor q = OutputArena.recall(QTensor.class);
        if (q != null && q.qparams() == qp && q.bytes() == data && q.rank() == 4
                && q.dim(0) == d0 && q.dim(1) == d1 && q.dim(2) == d2 && q.dim(3) == d3) {
            return q;
        }
        return OutputArena.keep(QTensor.of(data, new int[]{d0, d1, d2, d3}, qp));
    }

    /**
     * A 2-D quint8/qint8 tensor {@code [d0, d1]} over {@code data}.
     *
     * @param data the elements (the operator's output array)
     * @param qp   the qparams (quint8 or qint8)
     * @param d0   dimension 0
     * @param d1   dimension 1
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link QTensor#of(byte[], int[], QParams)}
     */
    public static QTensor quantized(byte[] data, QParams qp, int d0, int d1) {
        QTensor q = OutputArena.recall(QTensor.class);
        if (q != null && q.qparams() == qp && q.bytes() == data && q.rank() == 2 && q.dim(0) == d0 && q.dim(1) == d1) {
            return q;
        }
        return OutputArena.keep(QTensor.of(data, new int[]{d0, d1}, qp));
    }

    /**
     * A quint8/qint8 tensor of {@code like}'s shape over {@code data}.
     *
     * @param data the elements (the operator's output array)
     * @param qp   the qparams (quint8 or qint8)
     * @param like the tensor whose shape the output has
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link QTensor#of(byte[], int[], QParams)}
     */
    public static QTensor quantizedLike(byte[] data, QParams qp, QTensor like) {
        QTensor q = OutputArena.recall(QTensor.class);
        if (q != null && q.qparams() == qp && q.bytes() == data && sameShape(q, like)) {
            return q;
        }
        return OutputArena.keep(QTensor.of(data, like.shape(), qp));
    }

    /**
     * A quint8/qint8 tensor of shape {@code shape} over {@code data}.
     *
     * @param data  the elements (the operator's output array)
     * @param qp    the qparams (quint8 or qint8)
     * @param shape the shape (not kept)
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link QTensor#of(byte[], int[], QParams)}
     */
    public static QTensor quantized(byte[] data, QParams qp, int[] shape) {
        QTensor q = OutputArena.recall(QTensor.class);
        if (q != null && q.qparams() == qp && q.bytes() == data && sameShape(q, shape)) {
            return q;
        }
        return OutputArena.keep(QTensor.of(data, shape, qp));
    }

    /**
     * A float tensor of shape {@code shape} over {@code data}.
     *
     * @param data  the elements (the operator's output array)
     * @param shape the shape (not kept)
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link FloatTensor#of(float[], int...)}
     */
    public static FloatTensor floats(float[] data, int[] shape) {
        FloatTensor f = OutputArena.recall(FloatTensor.class);
        if (f != null && f.data() == data && sameShape(f, shape)) {
            return f;
        }
        return OutputArena.keep(FloatTensor.of(data, shape));
    }

    /**
     * A 2-D float tensor {@code [d0, d1]} over {@code data}.
     *
     * @param data the elements (the operator's output array)
     * @param d0   dimension 0
     * @param d1   dimension 1
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link FloatTensor#of(float[], int...)}
     */
    public static FloatTensor floats(float[] data, int d0, int d1) {
        FloatTensor f = OutputArena.recall(FloatTensor.class);
        if (f != null && f.data() == data && f.rank() == 2 && f.dim(0) == d0 && f.dim(1) == d1) {
            return f;
        }
        return OutputArena.keep(FloatTensor.of(data, d0, d1));
    }

    /**
     * A 3-D float tensor {@code [d0, d1, d2]} over {@code data}.
     *
     * @param data the elements (the operator's output array)
     * @param d0   dimension 0
     * @param d1   dimension 1
     * @param d2   dimension 2
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link FloatTensor#of(float[], int...)}
     */
    public static FloatTensor floats(float[] data, int d0, int d1, int d2) {
        FloatTensor f = OutputArena.recall(FloatTensor.class);
        if (f != null && f.data() == data && f.rank() == 3 && f.dim(0) == d0 && f.dim(1) == d1 && f.dim(2) == d2) {
            return f;
        }
        return OutputArena.keep(FloatTensor.of(data, d0, d1, d2));
    }

    /**
     * A 4-D float tensor {@code [d0, d1, d2, d3]} over {@code data}.
     *
     * @param data the elements (the operator's output array)
     * @param d0   dimension 0
     * @param d1   dimension 1
     * @param d2   dimension 2
     * @param d3   dimension 3
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link FloatTensor#of(float[], int...)}
     */
    public static FloatTensor floats(float[] data, int d0, int d1, int d2, int d3) {
        FloatTensor f = OutputArena.recall(FloatTensor.class);
        if (f != null && f.data() == data && f.rank() == 4
                && f.dim(0) == d0 && f.dim(1) == d1 && f.dim(2) == d2 && f.dim(3) == d3) {
            return f;
        }
        return OutputArena.keep(FloatTensor.of(data, d0, d1, d2, d3));
    }

    /**
     * A float tensor of {@code like}'s shape over {@code data}.
     *
     * @param data the elements (the operator's output array)
     * @param like the tensor whose shape the output has
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link FloatTensor#of(float[], int...)}
     */
    public static FloatTensor floatsLike(float[] data, FloatTensor like) {
        FloatTensor f = OutputArena.recall(FloatTensor.class);
        if (f != null && f.data() == data && sameShape(f, like)) {
            return f;
        }
        return OutputArena.keep(FloatTensor.of(data, like.shape()));
    }

    /**
     * A quint8/qint8 tensor of the float tensor {@code like}'s shape over {@code data} (a quantize step's output).
     *
     * @param data the elements (the operator's output array)
     * @param qp   the qparams (quint8 or qint8)
     * @param like the tensor whose shape the output has
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link QTensor#of(byte[], int[], QParams)}
     */
    public static QTensor quantizedLike(byte[] data, QParams qp, FloatTensor like) {
        QTensor q = OutputArena.recall(QTensor.class);
        if (q != null && q.qparams() == qp && q.bytes() == data && sameShape(like, q)) {
            return q;
        }
        return OutputArena.keep(QTensor.of(data, like.shape(), qp));
    }

    /**
     * A float tensor of the quantized tensor {@code like}'s shape over {@code data} (a dequantize step's output).
     *
     * @param data the elements (the operator's output array)
     * @param like the tensor whose shape the output has
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link FloatTensor#of(float[], int...)}
     */
    public static FloatTensor floatsLike(float[] data, QTensor like) {
        FloatTensor f = OutputArena.recall(FloatTensor.class);
        if (f != null && f.data() == data && sameShape(f, like)) {
            return f;
        }
        return OutputArena.keep(FloatTensor.of(data, like.shape()));
    }

    /**
     * A quint8/qint8 tensor of {@code like}'s shape with its last dimension {@code last} (a Linear's output).
     *
     * @param data the elements (the operator's output array)
     * @param qp   the qparams (quint8 or qint8)
     * @param like the input, rank at least 1
     * @param last the output's last dimension
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link QTensor#of(byte[], int[], QParams)}
     */
    public static QTensor quantizedLastDim(byte[] data, QParams qp, QTensor like, int last) {
        QTensor q = OutputArena.recall(QTensor.class);
        int r = like.rank();
        if (q != null && q.qparams() == qp && q.bytes() == data && q.rank() == r && q.dim(r - 1) == last) {
            boolean same = true;
            for (int i = 0; same && i < r - 1; i++) {
                same = q.dim(i) == like.dim(i);
            }
            if (same) {
                return q;
            }
        }
        int[] shape = like.shape();
        shape[r - 1] = last;
        return OutputArena.keep(QTensor.of(data, shape, qp));
    }

    /**
     * A float tensor of {@code like}'s shape with its last dimension {@code last} (a Linear's output).
     *
     * @param data the elements (the operator's output array)
     * @param like the input, rank at least 1
     * @param last the output's last dimension
     * @return the previous scope's tensor over {@code data} when it fits, else a new one
     * @throws IllegalArgumentException as {@link FloatTensor#of(float[], int...)}
     */
    public static FloatTensor floatsLastDim(float[] data, FloatTensor like, int last) {
        FloatTensor f = OutputArena.recall(FloatTensor.class);
        int r = like.rank();
        if (f != null && f.data() == data && f.rank() == r && f.dim(r - 1) == last) {
            boolean same = true;
            for (int i = 0; same && i < r - 1; i++) {
                same = f.dim(i) == like.dim(i);
            }
            if (same) {
                return f;
            }
        }
        int[] shape = like.shape();
        shape[r - 1] = last;
        return OutputArena.keep(FloatTensor.of(data, shape));
    }

    /** Same rank and extents; each side a {@link QTensor}, a {@link FloatTensor} or an {@code int[]} shape (read in place). */
    private static boolean sameShape(Object a, Object b) {
        int r = rank(a);
        if (b == null || r != rank(b)) {
            return false;
        }
        for (int i = 0; i < r; i++) {
            if (dim(a, i) != dim(b, i)) {
                return false;
            }
        }
        return true;
    }

    private static int rank(Object t) {
        return t instanceof QTensor q ? q.rank() : t instanceof FloatTensor f ? f.rank() : ((int[]) t).length;
    }

    private static int dim(Object t, int i) {
        return t instanceof QTensor q ? q.dim(i) : t instanceof FloatTensor f ? f.dim(i) : ((int[]) t)[i];
    }
}
