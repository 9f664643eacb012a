package dev.vquant.engine.spi;

import dev.vquant.engine.DType;

/**
 * Quantize, dequantize and standalone requantize over flat arrays.
 *
 * <p>Numerics (PyTorch's, bit for bit): quantize
 * {@code q = clamp(zp + rint_half_even(x * (1.0f / scale)), dtype.min, dtype.max)} in float32
 * (the clamp happens before the conversion to int, so +-inf and huge values saturate);
 * dequantize {@code x = f32(q - zp) * scale}; per-channel dequantize multiplies in double,
 * {@code x = f32((double) (q - zp) * scale[c])}, as PyTorch does with its double per-channel
 * scales (a float32 multiply differs in the last bit for ~10% of values). NaN inputs are the caller's to reject
 * ({@code dev.vquant.engine.Quantization} does); a kernel may map them to any in-range value.
 *
 * <p>Per-channel variants view the data as {@code [outer][channels][inner]} (row-major), so any
 * axis is expressed by its outer and inner extents. Implementations validate their arguments
 * with {@link KernelArgs} and are thread-safe.
 */
public interface QuantizeKernels {

    /**
     * Quantizes {@code x[xOff, xOff+len)} into {@code q[qOff, qOff+len)} as {@code dtype} (quint8 or qint8).
     *
     * @param x         float32 input
     * @param xOff      index of the first input
     * @param q         quantized output, stored as the dtype's byte (quint8 as unsigned)
     * @param qOff      index of the first output
     * @param len       number of elements
     * @param scale     quantization scale, a normal positive float32
     * @param zeroPoint zero point in the dtype's range
     * @param dtype     quint8 or qint8
     * @throws IllegalArgumentException for ranges outside the arrays or invalid parameters ({@link KernelArgs})
     */
    void quantize(float[] x, int xOff, byte[] q, int qOff, int len, float scale, int zeroPoint, DType dtype);

    /**
     * Dequantizes {@code q[qOff, qOff+len)} (stored as {@code dtype}) into {@code x[xOff, xOff+len)}.
     *
     * @param q         quantized input
     * @param qOff      index of the first input
     * @param x         float32 output
     * @param xOff      index of the first output
     * @param len       number of elements
     * @param scale     quantization scale, a normal positive float32
     * @param zeroPoint zero point in the dtype's range
     * @param dtype     quint8 or qint8: how the bytes are read
     * @throws IllegalArgumentException for ranges outside the arrays or invalid parameters ({@link KernelArgs})
     */
    void dequantize(byte[] q, int qOff, float[] x, int xOff, int len, float scale, int zeroPoint, DType dtype);

    /**
     * Per-channel quantize of a {@code [outer][channels][inner]} array (offsets 0).
     *
     * @param x          float32 input
     * @param q          quantized output
     * @param outer      product of the dimensions before the channel axis
     * @param channels   size of the channel axis
     * @param inner      product of the dimensions after the channel axis
     * @param scales     one float32 scale per channel
     * @param zeroPoints one zero point per channel
     * @param dtype      quint8 or qint8
     * @throws IllegalArgumentException for ranges outside the arrays or invalid parameters ({@link KernelArgs})
     */
    void quantizePerChannel(float[] x, byte[] q, int outer, int channels, int inner, float[] scales, int[] zeroPoints,
                            DType dtype);

    /**
     * Per-channel dequantize of a {@code [outer][channels][inner]} array (offsets 0), in double:
     * {@code x = (float) ((double) (q - zp[c]) * scales[c])}.
     *
     * @param q          quantized input
     * @param x          float32 output
     * @param outer      product of the dimensions before the channel axis
     * @param channels   size of the channel axis
     * @param inner      product of the dimensions after the channel axis
     * @param scales     one scale per channel, as PyTorch stores them (double)
     * @param zeroPoints one zero point per channel
     * @param dtype      quint8 or qint8: how the bytes are read
     * @throws IllegalArgumentException for ranges outside the arrays or invalid parameters ({@link KernelArgs})
     */
    void dequantizePerChannel(byte[] q, float[] x, int outer, int channels, int inner, double[] scales,
                              int[] zeroPoints, DType dtype);

    /**
     * Standalone requantize int32 -> quint8 with one float32 multiplier:
     * {@code q = clamp(rint_half_even(f32(acc) * multiplier) + zeroPoint, qmin, qmax)}, i.e.
     * {@link Requantization#ofMultiplier}'s rule.
     *
     * @param acc        int32 input
     * @param accOff     index of the first input
     * @param q          quint8 output
     * @param qOff       index of the first output
     * @param len        number of elements
     * @param multiplier the float32 rescale factor
     * @param zeroPoint  output zero point
     * @param qmin       lowest output value
     * @param qmax       highest output value
     * @throws IllegalArgumentException for ranges outside the arrays or invalid parameters ({@link KernelArgs})
     */
    void requantize(int[] acc, int accOff, byte[] q, int qOff, int len, float multiplier, int zeroPoint, int qmin,
                    int qmax);
}
