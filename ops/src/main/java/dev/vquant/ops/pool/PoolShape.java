package dev.vquant.ops.pool;

import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.TensorChecks;

import java.util.Arrays;

/**
 * Shape checks and window bounds shared by the pooling operators (NHWC, PyTorch's conventions,
 * floor output size). For an output coordinate the window covers input rows
 * {@code start + i*dilation} for {@code i < kernel}; {@link #first}/{@link #end} clip it to the
 * image, and {@link #paddedExtent} is PyTorch's average-pool divisor with count_include_pad.
 */
final class PoolShape {
    private PoolShape() {
    }

    /** Checks a 4-D NHWC input (and that the output fits an int) and returns {@code {N, H, W, C, outH, outW}} (floor output size). */
    static int[] check(String op, int[] shape, ConvGeometry g) {
        return check(op, shape, g, false);
    }

    /**
     * As {@link #check(String, int[], ConvGeometry)}, with PyTorch's {@code ceil_mode}: the output
     * size rounds up, but the last window must start inside the input or its left padding.
     */
    static int[] check(String op, int[] shape, ConvGeometry g, boolean ceilMode) {
        return check(op, shape, g, ceilMode, new int[6]);
    }

    /** As {@link #check(String, int[], ConvGeometry, boolean)}, into {@code d} (6 ints; an arena array in a scope). */
    static int[] check(String op, int[] shape, ConvGeometry g, boolean ceilMode, int[] d) {
        if (shape.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D NHWC input [N, H, W, C], got shape " + Arrays.toString(shape));
        }
        if (g.padH() * 2 > g.kernelH() || g.padW() * 2 > g.kernelW()) {
            throw new IllegalArgumentException(op + ": padding " + g.padH() + "x" + g.padW()
                    + " must be at most half the kernel " + g.kernelH() + "x" + g.kernelW());
        }
        int outH;
        int outW;
        try { // as TensorChecks.named, without its lambda: a call allocates nothing
            outH = g.outH(shape[1]);
            outW = g.outW(shape[2]);
            if (ceilMode) {
                outH = ceilOut(outH, shape[1], g.kernelH(), g.strideH(), g.padH(), g.dilationH());
                outW = ceilOut(outW, shape[2], g.kernelW(), g.strideW(), g.padW(), g.dilationW());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
        d[0] = shape[0];
        d[1] = shape[1];
        d[2] = shape[2];
        d[3] = shape[3];
        d[4] = outH;
        d[5] = outW;
        TensorChecks.outputSize(op, d[0], d[4], d[5], d[3]);
        return d;
    }

    /** PyTorch's ceil_mode output size from the floor one: one more when a partial window remains that starts before {@code in + pad}. */
    private static int ceilOut(int floorOut, int in, int k, int s, int p, int d) {
        long span = (long) d * (k - 1) + 1;
        long rest = (long) in + 2L * p - span;
        int out = rest % s == 0 ? floorOut : floorOut + 1;
        return (long) (out - 1) * s >= (long) in + p ? out - 1 : out;
    }

    /** First in-image tap coordinate of a window starting at {@code start} (may be past the end if none). */
    static int first(int start, int dilation) {
        int s = start;
        while (s < 0) {
            s += dilation;
        }
        return s;
    }

    /** Exclusive end of the window's taps clipped to {@code size}. */
    static int end(int start, int kernel, int dilation, int size) {
        return Math.min(start + (kernel - 1) * dilation + 1, size);
    }

    /** The window extent counting padding (for count_include_pad): {@code min(start + k, size + pad) - start}. */
    static int paddedExtent(int start, int kernel, int size, int pad) {
        return Math.min(start + kernel, size + pad) - start;
    }

    /** Adaptive pooling window start for output {@code o}: {@code floor(o * in / out)} in float32, as PyTorch. */
    static int adaptiveStart(int o, int in, int out) {
        return (int) Math.floor((float) ((long) o * in) / out);
    }

    /** Adaptive pooling window end (exclusive): {@code ceil((o + 1) * in / out)} in float32. */
    static int adaptiveEnd(int o, int in, int out) {
        return (int) Math.ceil((float) ((o + 1L) * in) / out);
    }

    /** A positive adaptive output size (checked where the operator is built). */
    static void checkAdaptiveSize(String op, int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(op + ": output size must be > 0, got " + outH + "x" + outW);
        }
    }

    /**
     * Checks an adaptive pooling input (4-D NHWC, non-empty H, W and C as PyTorch requires, output
     * within int) and returns {@code {N, H, W, C}}.
     */
    static int[] checkAdaptive(String op, int[] shape, int outH, int outW) {
        if (shape.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D NHWC input [N, H, W, C], got shape " + Arrays.toString(shape));
        }
        checkAdaptiveSize(op, outH, outW);
        if (shape[1] == 0 || shape[2] == 0 || shape[3] == 0) {
            throw new IllegalArgumentException(op + ": expected non-zero H, W and C, got shape " + Arrays.toString(shape));
        }
        TensorChecks.outputSize(op, shape[0], outH, outW, shape[3]);
        return shape; // the callers' own copy (x.shape(), or dims(x)): not copied again
    }

    /**
     * {@code x}'s shape in an {@link OutputArena} int array (a new one without a scope), for the
     * checks above without a copy per call inside a reused scope; read during the call only.
     */
    static int[] dims(QTensor x) {
        int[] s = OutputArena.ints(x.rank());
        for (int i = 0; i < s.length; i++) {
            s[i] = x.dim(i);
        }
        return s;
    }
}
