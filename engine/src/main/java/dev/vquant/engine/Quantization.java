package dev.vquant.engine;

import dev.vquant.engine.spi.QuantizeKernels;

import java.util.Arrays;

/**
 * Tensor-level quantize and dequantize, like {@code torch.quantize_per_tensor},
 * {@code torch.quantize_per_channel} and {@code Tensor.dequantize()}, on the current engine's
 * {@link QuantizeKernels} (read once per call, so a concurrent {@link QuantEngine#set} never
 * splits one call across engines).
 *
 * <p>Numerics are the kernels' (PyTorch's, bit for bit): {@code q = clamp(zp + rint_half_even(x *
 * f32(1/scale)), qmin, qmax)} in float32 with {@code f32(scale)}; per-tensor dequantize
 * {@code f32(q - zp) * f32(scale)}, per-channel dequantize {@code f32((double) (q - zp) * scale[c])}.
 * Per-channel parameters may name any axis. Only the 8-bit dtypes (quint8, qint8) are supported.
 */
public final class Quantization {
    private Quantization() {
    }

    /**
     * Quantizes {@code x} with {@code qparams} (per tensor, or per channel along
     * {@code qparams.axis()}).
     *
     * @param x       the float32 tensor
     * @param qparams quint8 or qint8 parameters; per channel, {@code axis} must be a dimension of {@code x} of matching size
     * @return a new tensor with {@code x}'s shape and {@code qparams}
     * @throws IllegalArgumentException for a null argument, when an element is NaN (naming its
     *                                  index), the dtype is not 8-bit, or per-channel parameters do not
     *                                  match the shape
     */
    public static QTensor quantize(FloatTensor x, QParams qparams) {
        if (x == null || qparams == null) {
            throw new IllegalArgumentException("quantize: " + (x == null ? "tensor" : "qparams") + " must not be null");
        }
        checkByteDType(qparams.dtype());
        float[] data = x.data();
        int[] shape = x.shape();
        for (int i = 0; i < data.length; i++) {
            if (Float.isNaN(data[i])) {
                throw new IllegalArgumentException("cannot quantize NaN: element " + i + " (index "
                        + Arrays.toString(unflatten(i, shape)) + ") of " + x + " is NaN");
            }
        }
        QuantizeKernels kernels = QuantEngine.current().quantize();
        byte[] q = new byte[data.length];
        if (qparams instanceof QParams.PerChannel pc) {
            ChannelView v = ChannelView.of(shape, pc);
            kernels.quantizePerChannel(data, q, v.outer, v.channels, v.inner, pc.floatScales(), pc.zeroPoints(), pc.dtype());
        } else {
            kernels.quantize(data, 0, q, 0, data.length, (float) qparams.scale(0), qparams.zeroPoint(0), qparams.dtype());
        }
        return QTensor.of(q, shape, qparams);
    }

    /**
     * The real values of {@code q}.
     *
     * @param q a quint8 or qint8 tensor
     * @return a new float32 tensor of the same shape, {@code (q - zeroPoint) * scale} per element
     * @throws IllegalArgumentException for a null or qint32 tensor
     */
    public static FloatTensor dequantize(QTensor q) {
        if (q == null) {
            throw new IllegalArgumentException("dequantize: tensor must not be null");
        }
        QParams qparams = q.qparams();
        checkByteDType(qparams.dtype());
        QuantizeKernels kernels = QuantEngine.current().quantize();
        float[] x = new float[q.numel()];
        if (qparams instanceof QParams.PerChannel pc) {
            ChannelView v = ChannelView.of(q.shape(), pc);
            kernels.dequantizePerChannel(q.bytes(), x, v.outer, v.channels, v.inner, pc.scales(), pc.zeroPoints(), pc.dtype());
        } else {
            kernels.dequantize(q.bytes(), 0, x, 0, x.length, (float) qparams.scale(0), qparams.zeroPoint(0), qparams.dtype());
        }
        return FloatTensor.of(x, q.shape());
    }

    private static void checkByteDType(DType dtype) {
        if (!dtype.isByte()) {
            throw new IllegalArgumentException("quantize/dequantize supports quint8 and qint8, not " + dtype
                    + " (int32 bias is quantized inside Requantization)");
        }
    }

    /** Row-major multi-index of flat element {@code i}. */
    private static int[] unflatten(int i, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = shape[d] == 0 ? 0 : i % shape[d];
            i = shape[d] == 0 ? i : i / shape[d];
        }
        return index;
    }

    /** A tensor viewed as {@code [outer][channels][inner]} around the per-channel axis. */
    private record ChannelView(int outer, int channels, int inner) {
        static ChannelView of(int[] shape, QParams.PerChannel pc) {
            int axis = pc.axis();
            QTensor.checkChannels(shape, pc);
            int outer = Shapes.numel(Arrays.copyOfRange(shape, 0, axis));
            int inner = Shapes.numel(Arrays.copyOfRange(shape, axis + 1, shape.length));
            return new ChannelView(outer, shape[axis], inner);
        }
    }
}
