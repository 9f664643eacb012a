package dev.vquant.ops.convert;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.core.OutputArena;

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
        int[] s = check(x == null ? null : x.shape());
        if (!x.dtype().isByte()) {
            throw new IllegalArgumentException("Flatten: expected a quint8 or qint8 tensor, got " + x.dtype());
        }
        if (x.qparams() instanceof QParams.PerChannel pc && pc.axis() != 0 && s.length > 1) {
            throw new IllegalArgumentException("Flatten: per-channel qparams along axis " + pc.axis()
                    + " do not survive flattening dimensions 1.." + (s.length - 1) + " of " + Arrays.toString(s));
        }
        byte[] data = x.bytes();
        if (s.length == 4 && s[1] * s[2] > 1) {
            data = Layout.nhwcToNchw(data, s[0], s[1], s[2], s[3], OutputArena.bytes(data.length));
        }
        return QTensor.of(data, flat(s), x.qparams());
    }

    /**
     * Flattens {@code x}.
     *
     * @param x the float32 tensor, {@code [N, ...]} (NHWC when 4-D)
     * @return a new {@code [N, prod(...)]} tensor
     * @throws IllegalArgumentException naming the operator for a null or rank-0 input
     */
    public FloatTensor forward(FloatTensor x) {
        int[] s = check(x == null ? null : x.shape());
        float[] data = x.data();
        if (s.length == 4 && s[1] * s[2] > 1) {
            data = Layout.nhwcToNchw(data, s[0], s[1], s[2], s[3], OutputArena.floats(data.length));
        }
        return FloatTensor.of(data, flat(s));
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

    private static int[] flat(int[] s) {
        if (s.length == 1) {
            return s.clone();
        }
        int rest = 1;
        for (int i = 1; i < s.length; i++) {
            rest *= s[i];
        }
        return new int[]{s[0], rest};
    }
}
