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

    /** Quantizes {@code x[xOff, xOff+len)} into {@code q[qOff, qOff+len)} as {@code dtype} (quint8 or qint8). */
    void quantize(float[] x, int xOff, byte[] q, int qOff, int len, float scale, int zeroPoint, DType dtype);

    /** Dequantizes {@code q[qOff, qOff+len)} (stored as {@code dtype}) into {@code x[xOff, xOff+len)}. */
    void dequantize(byte[] q, int qOff, float[] x, int xOff, int len, float scale, int zeroPoint, DType dtype);

    /** Per-channel quantize of a {@code [outer][channels][inner]} array (offsets 0). */
    void quantizePerChannel(float[] x, byte[] q, int outer, int channels, int inner, float[] scales, int[] zeroPoints,
                            DType dtype);

    /**
     * Per-channel dequantize of a {@code [outer][channels][inner]} array (offsets 0), in double:
     * {@code x = (float) ((double) (q - zp[c]) * scales[c])}.
     */
    void dequantizePerChannel(byte[] q, float[] x, int outer, int channels, int inner, double[] scales,
                              int[] zeroPoints, DType dtype);

    /**
     * Standalone requantize int32 -> quint8 with one float32 multiplier:
     * {@code q = clamp(rint_half_even(f32(acc) * multiplier) + zeroPoint, qmin, qmax)}, i.e.
     * {@link Requantization#ofMultiplier}'s rule.
     */
    void requantize(int[] acc, int accOff, byte[] q, int qOff, int len, float multiplier, int zeroPoint, int qmin,
                    int qmax);
}
