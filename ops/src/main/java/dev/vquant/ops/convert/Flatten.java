package dev.vquant.ops.convert;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;

import java.util.Arrays;

/**
 * Flatten from dimension 1 ({@code nn.Flatten()}): {@code [N, ...] -> [N, prod(...)]}, in
 * PyTorch's element order. A 4-D tensor is NHWC here but NCHW in PyTorch, so its features come
 * out channel-major ({@code c*H*W + y*W + x}), exactly as a following Linear trained in PyTorch
 * expects; when {@code H = W = 1} that is a plain reshape. Other ranks are reshaped. Values and
 * qparams are unchanged. Immutable and thread-safe.
 */
public final class Flatten {

    /** A Flatten step from dimension 1, as {@code nn.Flatten()}. */
    public Flatten() {
    }

    /** {@return {@code "Flatten"}, the operator's name in error messages} */
    public String name() {
        return "Flatten";
    }

    /**
     * Flattens {@code x} (quint8 or qint8; per-tensor qparams, or per-channel along axis 0, which
     * survives the flattening).
     *
     * @param x the quantized tensor, {@code [N, ...]} (NHWC when 4-D)
     * @return a new {@code [N, prod(...)]} tensor with the same qparams
     * @throws IllegalArgumentException naming the operator for a null or rank-0 input, a qint32
     *                                  tensor, or per-channel qparams along another axis than 0
     */
    public QTensor forward(QTensor x) {
        if (x == null || x.rank() < 1) {
            check(x == null ? null : x.shape()); // throws, naming the shape
        }
        int r = x.rank();
        if (!x.dtype().isByte()) {
            throw new IllegalArgumentException("Flatten: expected a quint8 or qint8 tensor, got " + x.dtype());
        }
        if (x.qparams() instanceof QParams.PerChannel pc && pc.axis() != 0 && r > 1) {
            throw new IllegalArgumentException("Flatten: per-channel qparams along axis " + pc.axis()
                    + " do not survive flattening dimensions 1.." + (r - 1) + " of " + Arrays.toString(x.shape()));
        }
        byte[] data = x.bytes();
        if (r == 4 && x.dim(1) * x.dim(2) > 1) {
            data = Layout.nhwcToNchw(data, x.dim(0), x.dim(1), x.dim(2), x.dim(3), OutputArena.bytes(data.length));
        }
        // dims read in place and the previous scope's wrapper in a reused scope: no allocation
        return r == 1 ? QTensor.of(data, x.shape(), x.qparams()) : OutputTensors.quantized(data, x.qparams(), x.dim(0), rest(x));
    }

    /**
     * Flattens {@code x}.
     *
     * @param x the float32 tensor, {@code [N, ...]} (NHWC when 4-D)
     * @return a new {@code [N, prod(...)]} tensor
     * @throws IllegalArgumentException naming the operator for a null or rank-0 input
     */
    public FloatTensor forward(FloatTensor x) {
        if (x == null || x.rank() < 1) {
            check(x == null ? null : x.shape()); // throws, naming the shape
        }
        int r = x.rank();
        float[] data = x.data();
        if (r == 4 && x.dim(1) * x.dim(2) > 1) {
            data = Layout.nhwcToNchw(data, x.dim(0), x.dim(1), x.dim(2), x.dim(3), OutputArena.floats(data.length));
        }
        if (r == 1) {
            return FloatTensor.of(data, x.shape());
        }
        int rest = 1;
        for (int i = 1; i < r; i++) {
            rest *= x.dim(i);
        }
        return OutputTensors.floats(data, x.dim(0), rest);
    }

    private static int rest(QTensor x) {
        int rest = 1;
        for (int i = 1; i < x.rank(); i++) {
            rest *= x.dim(i);
        }
        return rest;
    }

    private int[] check(int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException("Flatten: input must not be null");
        }
        if (shape.length < 1) {
            throw new IllegalArgumentException("Flatten: expected at least a 1-D tensor, got shape " + Arrays.toString(shape));
        }
        return shape;
    }
}
