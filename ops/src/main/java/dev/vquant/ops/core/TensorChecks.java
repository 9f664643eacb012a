package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.Shapes;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.KernelBackend;

import java.util.Arrays;

/**
 * Input validation for operators, so that a wrong tensor fails at the operator's door with an
 * {@link IllegalArgumentException} that names the operator, what it expected and what it got,
 * instead of an index error inside a kernel.
 */
public final class TensorChecks {
    private TensorChecks() {
    }

    /**
     * {@code input} must be a {@link QTensor}; a float tensor gets a hint to insert a Quantize step.
     *
     * @param op    names the operator in the message
     * @param input the operator's input
     * @return {@code input} as a quantized tensor
     * @throws IllegalArgumentException when {@code input} is null or not a {@link QTensor}
     */
    public static QTensor quantized(String op, Object input) {
        if (input instanceof QTensor q) {
            return q;
        }
        if (input instanceof FloatTensor f) {
            throw new IllegalArgumentException(op + ": expected a quantized tensor; insert a Quantize step (got a float tensor "
                    + Arrays.toString(f.shape()) + ")");
        }
        throw new IllegalArgumentException(op + ": expected a quantized tensor, got " + describe(input));
    }

    /**
     * {@code input} must be a {@link FloatTensor}; a quantized one gets a hint to insert a DeQuantize step.
     *
     * @param op    names the operator in the message
     * @param input the operator's input
     * @return {@code input} as a float tensor
     * @throws IllegalArgumentException when {@code input} is null or not a {@link FloatTensor}
     */
    public static FloatTensor floating(String op, Object input) {
        if (input instanceof FloatTensor f) {
            return f;
        }
        if (input instanceof QTensor q) {
            throw new IllegalArgumentException(op + ": expected a float tensor; insert a DeQuantize step (got " + q + ")");
        }
        throw new IllegalArgumentException(op + ": expected a float tensor, got " + describe(input));
    }

    /**
     * A per-tensor quint8 activation.
     *
     * @param op names the operator in the message
     * @param x  the activation
     * @return its per-tensor qparams
     * @throws IllegalArgumentException when {@code x} is null, not quint8 or not per-tensor
     */
    public static QParams.PerTensor quint8PerTensor(String op, QTensor x) {
        if (x == null) {
            throw new IllegalArgumentException(op + ": input must not be null");
        }
        if (x.dtype() != DType.QUINT8) {
            throw new IllegalArgumentException(op + ": expected a quint8 activation, got " + x.dtype() + " " + x);
        }
        if (!(x.qparams() instanceof QParams.PerTensor pt)) {
            throw new IllegalArgumentException(op + ": expected per-tensor activation qparams, got " + x.qparams());
        }
        return pt;
    }

    /**
     * Rank {@code rank} exactly.
     *
     * @param op     names the operator in the message
     * @param shape  the tensor's shape
     * @param rank   the required rank
     * @param layout the layout named in the message (e.g. {@code "NHWC"})
     * @throws IllegalArgumentException when the rank differs
     */
    public static void rank(String op, int[] shape, int rank, String layout) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(op + ": expected a " + rank + "-D " + layout + " tensor, got shape "
                    + Arrays.toString(shape));
        }
    }

    /**
     * At least rank {@code min}.
     *
     * @param op     names the operator in the message
     * @param shape  the tensor's shape
     * @param min    the smallest rank accepted
     * @param layout the layout named in the message (e.g. {@code "(*, in_features)"})
     * @throws IllegalArgumentException when the rank is smaller
     */
    public static void minRank(String op, int[] shape, int min, String layout) {
        if (shape.length < min) {
            throw new IllegalArgumentException(op + ": expected at least a " + min + "-D " + layout + " tensor, got shape "
                    + Arrays.toString(shape));
        }
    }

    /**
     * The last dimension must equal {@code expected} (features or NHWC channels).
     *
     * @param op       names the operator in the message
     * @param shape    the tensor's shape, rank at least 1
     * @param expected the required extent
     * @param what     what the last dimension holds, for the message (e.g. {@code "channels"})
     * @throws IllegalArgumentException when the last extent differs
     */
    public static void lastDim(String op, int[] shape, int expected, String what) {
        int actual = shape[shape.length - 1];
        if (actual != expected) {
            throw new IllegalArgumentException(op + ": expected " + expected + " " + what + " in the last dimension, got "
                    + actual + " (shape " + Arrays.toString(shape) + ")");
        }
    }

    /**
     * Two tensors must have the same shape; compares without copying the shapes.
     *
     * @param op names the operator in the message
     * @param a  the first operand
     * @param b  the second operand
     * @throws IllegalArgumentException naming both shapes otherwise
     */
    public static void sameShape(String op, QTensor a, QTensor b) {
        boolean same = a.rank() == b.rank();
        for (int i = 0; same && i < a.rank(); i++) {
            same = a.dim(i) == b.dim(i);
        }
        if (!same) {
            sameShape(op, a.shape(), b.shape()); // throws, naming both shapes
        }
    }

    /**
     * Two shapes must be equal.
     *
     * @param op names the operator in the message
     * @param a  the first operand's shape
     * @param b  the second operand's shape
     * @throws IllegalArgumentException naming both shapes otherwise
     */
    public static void sameShape(String op, int[] a, int[] b) {
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(op + ": operands must have the same shape, got " + Arrays.toString(a)
                    + " and " + Arrays.toString(b));
        }
    }

    /**
     * Output quantization parameters of a quint8 output: the scale as every quantized tensor's
     * ({@link KernelArgs#checkScale}), the zero point in quint8.
     *
     * @param op        names the operator in the message
     * @param scale     the output scale
     * @param zeroPoint the output zero point
     * @throws IllegalArgumentException when the scale is not a valid scale or the zero point is outside [0, 255]
     */
    public static void outputQParams(String op, double scale, int zeroPoint) {
        KernelArgs.checkScale(op + ": output scale", scale);
        if (zeroPoint < 0 || zeroPoint > 255) {
            throw new IllegalArgumentException(op + ": output zero point must be in quint8 [0, 255], got " + zeroPoint);
        }
    }

    /**
     * A builder's required output qparams must have been set: the message names the operator and
     * the setter to call (the qparams have no default; an unset scale would only surface as NaN).
     *
     * @param op  the operator's name
     * @param set whether {@code output(scale, zeroPoint)} was called
     * @throws IllegalArgumentException when it was not
     */
    public static void outputSet(String op, boolean set) {
        if (!set) {
            throw new IllegalArgumentException(op + ": the output qparams were never set; call output(scale, zeroPoint) on the builder");
        }
    }

    /**
     * {@code value} must not be null; the message names the operator and the argument.
     *
     * @param <T>   the argument's type
     * @param op    names the operator in the message
     * @param what  names the argument in the message
     * @param value the argument
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value} is null
     */
    public static <T> T notNull(String op, String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + what + " must not be null");
        }
        return value;
    }

    /**
     * The engine a call runs on must not be null.
     *
     * @param op     names the operator in the message
     * @param engine the kernel backend
     * @return {@code engine}
     * @throws IllegalArgumentException when {@code engine} is null
     */
    public static KernelBackend engine(String op, KernelBackend engine) {
        return notNull(op, "engine", engine);
    }

    /**
     * A per-operator thread count: {@code >= 0}, 0 meaning {@link Threads#get()}.
     *
     * @param op      names the operator in the message
     * @param threads the requested thread count
     * @return {@code threads}
     * @throws IllegalArgumentException when {@code threads} is negative
     */
    public static int threads(String op, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException(op + ": thread count must be >= 0 (0 for the default), got " + threads);
        }
        return threads;
    }

    /**
     * As {@link #outputSize(String, int...)} for two extents, without the varargs array.
     *
     * @param op names the operator in the message
     * @param d0 the first extent
     * @param d1 the second extent
     * @return the element count (0 when an extent is 0)
     * @throws IllegalArgumentException when an extent is negative or the count overflows an int
     */
    public static int outputSize(String op, int d0, int d1) {
        long p = (long) d0 * d1;
        if (d0 >= 0 && d1 >= 0 && p <= Integer.MAX_VALUE) {
            return (int) p; // the common case: no array, no message
        }
        return outputSize(op, new int[]{d0, d1});
    }

    /**
     * As {@link #outputSize(String, int...)} for three extents, without the varargs array.
     *
     * @param op names the operator in the message
     * @param d0 the first extent
     * @param d1 the second extent
     * @param d2 the third extent
     * @return the element count (0 when an extent is 0)
     * @throws IllegalArgumentException when an extent is negative or the count overflows an int
     */
    public static int outputSize(String op, int d0, int d1, int d2) {
        if (d0 > 0 && d1 > 0 && d2 > 0) { // a zero extent goes the general way (non-zero extents must still fit)
            long p = (long) d0 * d1;
            if (p <= Integer.MAX_VALUE) {
                p *= d2;
                if (p <= Integer.MAX_VALUE) {
                    return (int) p; // the common case: no array, no message
                }
            }
        }
        return outputSize(op, new int[]{d0, d1, d2});
    }

    /**
     * As {@link #outputSize(String, int...)} for four extents, without the varargs array.
     *
     * @param op names the operator in the message
     * @param d0 the first extent
     * @param d1 the second extent
     * @param d2 the third extent
     * @param d3 the fourth extent
     * @return the element count (0 when an extent is 0)
     * @throws IllegalArgumentException when an extent is negative or the count overflows an int
     */
    public static int outputSize(String op, int d0, int d1, int d2, int d3) {
        if (d0 > 0 && d1 > 0 && d2 > 0 && d3 > 0) { // a zero extent goes the general way (non-zero extents must still fit)
            long p = (long) d0 * d1;
            if (p <= Integer.MAX_VALUE) {
                p *= d2;
                if (p <= Integer.MAX_VALUE) {
                    p *= d3;
                    if (p <= Integer.MAX_VALUE) {
                        return (int) p; // the common case: no array, no message
                    }
                }
            }
        }
        return outputSize(op, new int[]{d0, d1, d2, d3});
    }

    /**
     * The element count of an output of extents {@code dims}, checked before it is allocated
     * ({@link Shapes#product}: the product of the non-zero extents must fit an int).
     *
     * @param op   names the operator in the message
     * @param dims the output's extents
     * @return the element count (0 when an extent is 0)
     * @throws IllegalArgumentException when an extent is negative or the count overflows an int
     */
    public static int outputSize(String op, int... dims) {
        long p = 1;
        boolean empty = false;
        for (int d : dims) {
            if (d < 0) {
                p = Long.MAX_VALUE;
                break;
            }
            if (d == 0) {
                empty = true;
            } else {
                p = Math.min(p * d, 1L << 31); // stays below 2^62: no long overflow
            }
        }
        if (p <= Integer.MAX_VALUE) {
            return empty ? 0 : (int) p; // the common case: no message built
        }
        return Shapes.product(op + ": output " + Arrays.toString(dims), dims);
    }

    /**
     * The arguments of an array entry point {@code x[m][k] -> out[m][n]} (Linear's, for LSTM):
     * engine and arrays present, {@code m >= 0}, both arrays long enough.
     *
     * @param op     names the operator in the message
     * @param engine the kernel backend
     * @param x      the input rows, {@code m * k} floats
     * @param m      the row count
     * @param k      the input features
     * @param out    the output rows, {@code m * n} floats
     * @param n      the output features
     * @throws IllegalArgumentException when an argument is null, negative or an array too short
     */
    public static void rowArrays(String op, KernelBackend engine, float[] x, int m, int k, float[] out, int n) {
        engine(op, engine);
        notNull(op, "input array", x);
        notNull(op, "output array", out);
        if (m < 0 || k < 0 || n < 0 || (long) m * k > x.length || (long) m * n > out.length) {
            // the messages are built only here, on the error path
            KernelArgs.checkMatrix(op + " input", x.length, 0, m, k, k);
            KernelArgs.checkMatrix(op + " output", out.length, 0, m, n, n);
        }
    }

    /**
     * A float bias that a quantized output stage folds into integer or float32 arithmetic must be
     * finite (PyTorch's result for a NaN or infinite bias is undefined there).
     *
     * @param op   names the operator in the message
     * @param bias the bias, or null for none
     * @throws IllegalArgumentException naming the first non-finite element
     */
    public static void finiteBias(String op, float[] bias) {
        if (bias == null) {
            return;
        }
        for (int i = 0; i < bias.length; i++) {
            if (!Float.isFinite(bias[i])) {
                throw new IllegalArgumentException(op + ": bias[" + i + "] must be finite, got " + bias[i]);
            }
        }
    }

    /**
     * Runs {@code check} and prefixes the message of an {@link IllegalArgumentException} it
     * throws with {@code context} (the operator, and where in it), for checks written once in the
     * engine that do not know which operator called them.
     *
     * @param <T>     the check's result type
     * @param context the prefix for the message
     * @param check   the check to run
     * @return the check's result
     * @throws IllegalArgumentException the check's, its message prefixed
     */
    public static <T> T named(String context, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(context + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #named(String, java.util.function.Supplier)} for a check without a result.
     *
     * @param context the prefix for the message
     * @param check   the check to run
     * @throws IllegalArgumentException the check's, its message prefixed
     */
    public static void named(String context, Runnable check) {
        named(context, () -> {
            check.run();
            return null;
        });
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
