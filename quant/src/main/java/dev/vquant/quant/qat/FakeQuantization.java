package dev.vquant.quant.qat;

import java.util.Arrays;

/**
 * PyTorch's fake quantization kernels ({@code torch.fake_quantize_per_tensor_affine} and
 * {@code _per_channel_affine}, CPU, 1.13) as plain functions on float32 arrays: the forward
 * {@code y = (clamp(zp + rint(x * f32(1 / scale)), qmin, qmax) - zp) * scale} and the
 * straight-through gradient with clipping {@code dx = dy * mask}, mask 1 where {@code qmin <= zp + rint(x * f32(1 / scale)) <= qmax},
 * else 0 (so {@code -0.0} for a negative {@code dy} outside) (what the backward pass uses). Rounding is half to even, the product and the reciprocal
 * float32, as in ATen. Stateless and thread-safe.
 */
public final class FakeQuantization {
    private FakeQuantization() {
    }

    /**
     * The fake-quantized values of {@code x} with one scale and zero point.
     *
     * @param x         the values; not modified
     * @param scale     the quantization step
     * @param zeroPoint the quantized value of 0
     * @param quantMin  the smallest quantized value
     * @param quantMax  the largest quantized value
     * @return a new array: {@code (clamp(round(x / scale) + zeroPoint, quantMin, quantMax) - zeroPoint) * scale}
     * @throws IllegalArgumentException when the scale is not positive and finite, or the range is empty
     */
    public static float[] perTensor(float[] x, float scale, int zeroPoint, int quantMin, int quantMax) {
        checkArgs(scale, quantMin, quantMax);
        float inv = 1f / scale;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = fakeQuantize(x[i], inv, scale, zeroPoint, quantMin, quantMax);
        }
        return y;
    }

    /**
     * The fake-quantized values of {@code x} (row-major, {@code shape}) with one scale and zero point
     * per index of dimension {@code axis}.
     *
     * @param x          the values; not modified
     * @param shape      the logical shape of {@code x}
     * @param axis       the channel dimension
     * @param scales     one quantization step per channel
     * @param zeroPoints one zero point per channel
     * @param quantMin   the smallest quantized value
     * @param quantMax   the largest quantized value
     * @return a new array of the fake-quantized values, row-major as {@code x}
     * @throws IllegalArgumentException when the shape does not match {@code x}, the axis is out of
     *                                  range, the qparams do not have one entry per channel, a scale is
     *                                  not positive and finite, or the range is empty
     */
    public static float[] perChannel(float[] x, int[] shape, int axis, float[] scales, int[] zeroPoints, int quantMin, int quantMax) {
        ChannelIndex idx = ChannelIndex.of(x, shape, axis, scales, zeroPoints);
        float[] inv = new float[scales.length];
        for (int c = 0; c < scales.length; c++) {
            checkArgs(scales[c], quantMin, quantMax);
            inv[c] = 1f / scales[c];
        }
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = idx.channel(i);
            y[i] = fakeQuantize(x[i], inv[c], scales[c], zeroPoints[c], quantMin, quantMax);
        }
        return y;
    }

    /**
     * The input gradient of {@link #perTensor} for the upstream gradient {@code dy}: {@code dy}
     * where the unclamped quantized value lies in {@code [quantMin, quantMax]}, 0 elsewhere.
     *
     * @param x         the forward's input
     * @param dy        the gradient of the forward's output, as long as {@code x}
     * @param scale     the forward's quantization step
     * @param zeroPoint the forward's zero point
     * @param quantMin  the smallest quantized value
     * @param quantMax  the largest quantized value
     * @return a new array, the gradient of {@code x}
     * @throws IllegalArgumentException when {@code dy} and {@code x} differ in length, or as {@link #perTensor}
     */
    public static float[] perTensorGradient(float[] x, float[] dy, float scale, int zeroPoint, int quantMin, int quantMax) {
        checkArgs(scale, quantMin, quantMax);
        checkSameLength(x, dy);
        float inv = 1f / scale;
        float[] dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = dy[i] * mask(inRange(x[i], inv, zeroPoint, quantMin, quantMax));
        }
        return dx;
    }

    /**
     * The input gradient of {@link #perChannel} for the upstream gradient {@code dy}.
     *
     * @param x          the forward's input
     * @param dy         the gradient of the forward's output, as long as {@code x}
     * @param shape      the logical shape of {@code x}
     * @param axis       the channel dimension
     * @param scales     the forward's quantization step per channel
     * @param zeroPoints the forward's zero point per channel
     * @param quantMin   the smallest quantized value
     * @param quantMax   the largest quantized value
     * @return a new array, the gradient of {@code x}: {@code dy} where the channel's unclamped quantized value lies in {@code [quantMin, quantMax]}, 0 elsewhere
     * @throws IllegalArgumentException when {@code dy} and {@code x} differ in length, or as {@link #perChannel}
     */
    public static float[] perChannelGradient(float[] x, float[] dy, int[] shape, int axis, float[] scales, int[] zeroPoints,
                                             int quantMin, int quantMax) {
        ChannelIndex idx = ChannelIndex.of(x, shape, axis, scales, zeroPoints);
        checkSameLength(x, dy);
        float[] dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = idx.channel(i);
            checkArgs(scales[c], quantMin, quantMax);
            dx[i] = dy[i] * mask(inRange(x[i], 1f / scales[c], zeroPoints[c], quantMin, quantMax));
        }
        return dx;
    }

    /** ATen's {@code z_point + nearbyint(x * inv_scale)} (a float32 sum) as an integer. */
    private static long quantized(float x, float inv, int zeroPoint) {
        return (long) (zeroPoint + (float) Math.rint(x * inv));
    }

    private static float fakeQuantize(float x, float inv, float scale, int zeroPoint, int quantMin, int quantMax) {
        long q = Math.min(Math.max(quantized(x, inv, zeroPoint), quantMin), quantMax);
        return (q - zeroPoint) * scale;
    }

    /** ATen multiplies dy by the 0/1 mask, so a negative dy outside the range gives -0.0. */
    private static float mask(boolean inRange) {
        return inRange ? 1f : 0f;
    }

    private static boolean inRange(float x, float inv, int zeroPoint, int quantMin, int quantMax) {
        long q = quantized(x, inv, zeroPoint);
        return quantMin <= q && q <= quantMax;
    }

    private static void checkArgs(float scale, int quantMin, int quantMax) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("fake quantization needs a positive finite scale, got " + scale);
        }
        if (quantMin > quantMax) {
            throw new IllegalArgumentException("fake quantization: quant_min " + quantMin + " must be <= quant_max " + quantMax);
        }
    }

    private static void checkSameLength(float[] x, float[] dy) {
        if (x.length != dy.length) {
            throw new IllegalArgumentException("fake quantization gradient: dy has " + dy.length + " elements, x " + x.length);
        }
    }

    /** Maps a flat index to its channel along an axis. */
    private record ChannelIndex(int inner, int channels) {
        static ChannelIndex of(float[] x, int[] shape, int axis, float[] scales, int[] zeroPoints) {
            if (axis < 0 || axis >= shape.length) {
                throw new IllegalArgumentException("fake quantization per channel: axis " + axis + " out of range for shape "
                        + Arrays.toString(shape));
            }
            long n = 1;
            int inner = 1;
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    throw new IllegalArgumentException("fake quantization: negative dimension in shape " + Arrays.toString(shape));
                }
                n *= shape[d];
                if (d > axis) {
                    inner *= shape[d];
                }
            }
            if (n != x.length) {
                throw new IllegalArgumentException("fake quantization: shape " + Arrays.toString(shape) + " holds " + n
                        + " elements, the data " + x.length);
            }
            if (scales.length != shape[axis] || zeroPoints.length != shape[axis]) {
                throw new IllegalArgumentException("fake quantization per channel: " + scales.length + " scales and "
                        + zeroPoints.length + " zero points for " + shape[axis] + " channels along axis " + axis);
            }
            return new ChannelIndex(inner, shape[axis]);
        }

        int channel(int flat) {
            return (flat / inner) % channels;
        }
    }
}
