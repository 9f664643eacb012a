package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;

import java.util.Arrays;

/**
 * Input validation for operators, so that a wrong tensor fails at the operator's door with an
 * {@link IllegalArgumentException} that names the operator, what it expected and what it got,
 * instead of an index error inside a kernel.
 */
public final class TensorChecks {
    private TensorChecks() {
    }

    /** {@code input} must be a {@link QTensor}; a float tensor gets a hint to insert a Quantize step. */
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

    /** {@code input} must be a {@link FloatTensor}; a quantized one gets a hint to insert a DeQuantize step. */
    public static FloatTensor floating(String op, Object input) {
        if (input instanceof FloatTensor f) {
            return f;
        }
        if (input instanceof QTensor q) {
            throw new IllegalArgumentException(op + ": expected a float tensor; insert a DeQuantize step (got " + q + ")");
        }
        throw new IllegalArgumentException(op + ": expected a float tensor, got " + describe(input));
    }

    /** A per-tensor quint8 activation. */
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

    /** Rank {@code rank} exactly. */
    public static void rank(String op, int[] shape, int rank, String layout) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(op + ": expected a " + rank + "-D " + layout + " tensor, got shape "
                    + Arrays.toString(shape));
        }
    }

    /** At least rank {@code min}. */
    public static void minRank(String op, int[] shape, int min, String layout) {
        if (shape.length < min) {
            throw new IllegalArgumentException(op + ": expected at least a " + min + "-D " + layout + " tensor, got shape "
                    + Arrays.toString(shape));
        }
    }

    /** The last dimension must equal {@code expected} (features or NHWC channels). */
    public static void lastDim(String op, int[] shape, int expected, String what) {
        int actual = shape[shape.length - 1];
        if (actual != expected) {
            throw new IllegalArgumentException(op + ": expected " + expected + " " + what + " in the last dimension, got "
                    + actual + " (shape " + Arrays.toString(shape) + ")");
        }
    }

    /** Two shapes must be equal. */
    public static void sameShape(String op, int[] a, int[] b) {
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(op + ": operands must have the same shape, got " + Arrays.toString(a)
                    + " and " + Arrays.toString(b));
        }
    }

    /** Output quantization parameters of a quint8 output. */
    public static void outputQParams(String op, double scale, int zeroPoint) {
        if (!(scale > 0) || Double.isInfinite(scale) || !((float) scale > 0)) {
            throw new IllegalArgumentException(op + ": output scale must be a finite float32 > 0, got " + scale);
        }
        if (zeroPoint < 0 || zeroPoint > 255) {
            throw new IllegalArgumentException(op + ": output zero point must be in quint8 [0, 255], got " + zeroPoint);
        }
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
