package dev.vquant.engine;

/**
 * The activation parameters PyTorch's dynamically quantized operators choose per call
 * ({@code quantized::linear_dynamic} on every engine, and so the dynamic LSTM's gate projections):
 * ATen's {@code quant_utils::ChooseQuantizationParams}, bit for bit. This is not the arithmetic of
 * {@link QParamsCalculator} (MinMaxObserver's {@code calculate_qparams}, float32 throughout): the
 * scale is computed in double precision and rounded to float32 once, a tiny scale is cut off at
 * {@value #SMALL_SCALE_THRESHOLD}, and the zero point comes from whichever end of the range adds the
 * smaller terms:
 * <pre>
 * min = min(min, 0), max = max(max, 0)
 * scale = ((double) max - min) / (qmax - qmin); 0.1 if f32(scale) is 0 or its f32 reciprocal is infinite
 * if scale &lt; 6.1e-5: scale = 6.1e-5 and min/max widened to match (in float32)
 * zpFromMin = qmin - min / scale, errMin = |qmin| - |min / scale|    (double)
 * zpFromMax = qmax - max / scale, errMax = |qmax| - |max / scale|
 * zp = clamp(rint_half_even(errMin &lt; errMax ? zpFromMin : zpFromMax), qmin, qmax), scale = f32(scale)
 * </pre>
 * Stateless and thread-safe.
 */
public final class DynamicQParams {
    /** ATen's cut-off: smaller scales are raised to this value (a float32 constant). */
    public static final float SMALL_SCALE_THRESHOLD = 6.1e-5f;

    private DynamicQParams() {
    }

    /**
     * A per-call choice: the float32 scale and the integer zero point.
     *
     * @param scale     the float32 scale, {@code > 0}
     * @param zeroPoint the zero point, in {@code [qmin, qmax]}
     */
    public record Choice(float scale, int zeroPoint) {
    }

    /**
     * quint8 activation parameters for an observed range, as {@code linear_dynamic} chooses them:
     * 0..255, or 0..127 when {@code reduceRange} (fbgemm's 7-bit activations; the caller decides
     * whether its engine honours reduce_range).
     *
     * @param min         observed minimum of the activations
     * @param max         observed maximum
     * @param reduceRange use 0..127 instead of 0..255
     * @return the scale and zero point
     * @throws IllegalArgumentException when {@code min} or {@code max} is not finite, or {@code min > max}
     */
    public static Choice quint8(float min, float max, boolean reduceRange) {
        return choose(min, max, 0, reduceRange ? 127 : 255);
    }

    /**
     * {@code ChooseQuantizationParams(min, max, qmin, qmax)} without sparsity preservation or
     * power-of-two scales (the options dynamic operators never use).
     *
     * @param min  observed minimum
     * @param max  observed maximum
     * @param qmin lowest quantized value
     * @param qmax highest quantized value
     * @return the scale and zero point
     * @throws IllegalArgumentException when the range is not finite, {@code min > max}, or {@code qmin >= qmax}
     */
    public static Choice choose(float min, float max, int qmin, int qmax) {
        return choose(min, max, qmin, qmax, false);
    }

    /**
     * {@code ChooseQuantizationParams(min, max, qmin, qmax, preserve_sparsity)}: with
     * {@code preserveSparsity} (what PyTorch's fused observer + fake-quant passes for symmetric
     * qschemes) a range straddling zero is first made symmetric in float32,
     * {@code m = max(|min / sqmin|, |max / sqmax|)} with {@code sqmin = -((qmax - qmin) / 2 + 1)},
     * {@code sqmax = (qmax - qmin) / 2}, {@code min = f32(m * sqmin)}, {@code max = f32(m * sqmax)},
     * and its zero point is the middle {@code rint((qmin + qmax) / 2.0)}.
     *
     * @param min              observed minimum
     * @param max              observed maximum
     * @param qmin             lowest quantized value
     * @param qmax             highest quantized value
     * @param preserveSparsity make a range straddling zero symmetric first
     * @return the scale and zero point
     * @throws IllegalArgumentException when the range is not finite, {@code min > max}, or {@code qmin >= qmax}
     */
    public static Choice choose(float min, float max, int qmin, int qmax, boolean preserveSparsity) {
        long bits = chooseBits(min, max, qmin, qmax, preserveSparsity);
        return new Choice(scaleOf(bits), zeroPointOf(bits));
    }

    /**
     * {@link #quint8} without the {@link Choice} object, for operators that choose per call and
     * allocate nothing: the scale's float bits in the high 32 bits, the zero point in the low 32
     * ({@link #scaleOf}, {@link #zeroPointOf}).
     *
     * @param min         observed minimum of the activations
     * @param max         observed maximum
     * @param reduceRange use 0..127 instead of 0..255
     * @return the scale and zero point, packed
     * @throws IllegalArgumentException as {@link #quint8}
     */
    public static long quint8Bits(float min, float max, boolean reduceRange) {
        return chooseBits(min, max, 0, reduceRange ? 127 : 255, false);
    }

    /**
     * The scale of a packed choice.
     *
     * @param bits a choice packed by {@link #quint8Bits}
     * @return its float32 scale
     */
    public static float scaleOf(long bits) {
        return Float.intBitsToFloat((int) (bits >>> 32));
    }

    /**
     * The zero point of a packed choice.
     *
     * @param bits a choice packed by {@link #quint8Bits}
     * @return its zero point
     */
    public static int zeroPointOf(long bits) {
        return (int) bits;
    }

    private static long chooseBits(float min, float max, int qmin, int qmax, boolean preserveSparsity) {
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("dynamic quantization needs a finite range, got [" + min + ", " + max + "]");
        }
        if (min > max) {
            throw new IllegalArgumentException("dynamic quantization range has min " + min + " > max " + max);
        }
        if (qmin >= qmax) {
            throw new IllegalArgumentException("dynamic quantization needs qmin < qmax, got [" + qmin + ", " + qmax + "]");
        }
        boolean symmetric = preserveSparsity && min < 0 && max > 0;
        if (symmetric) {
            int symmetricQmin = -((qmax - qmin) / 2 + 1);
            int symmetricQmax = (qmax - qmin) / 2;
            // float32 quotients, as ATen divides a float by an int
            double maxScale = Math.max(Math.abs(min / symmetricQmin), Math.abs(max / symmetricQmax));
            min = (float) (maxScale * symmetricQmin);
            max = (float) (maxScale * symmetricQmax);
        }
        // 0 must be exactly representable (zero padding, ReLU), so the range always contains it.
        min = Math.min(min, 0f);
        max = Math.max(max, 0f);
        double scale = ((double) max - min) / (qmax - qmin);
        if ((float) scale == 0f || Float.isInfinite(1f / (float) scale)) {
            scale = 0.1;
        }
        if (scale < SMALL_SCALE_THRESHOLD) {
            float originalScale = (float) scale;
            scale = SMALL_SCALE_THRESHOLD;
            if (min == 0f) {
                max = SMALL_SCALE_THRESHOLD * (qmax - qmin);
            } else if (max == 0f) {
                min = -SMALL_SCALE_THRESHOLD * (qmax - qmin);
            } else {
                float amplifier = SMALL_SCALE_THRESHOLD / originalScale;
                min *= amplifier;
                max *= amplifier;
            }
        }
        // Either end determines the zero point; ATen takes the one whose terms carry less rounding error.
        double fromMin = qmin - min / scale;
        double fromMax = qmax - max / scale;
        double errorFromMin = Math.abs(qmin) - Math.abs(min / scale);
        double errorFromMax = Math.abs(qmax) - Math.abs(max / scale);
        double initial = errorFromMin < errorFromMax ? fromMin : fromMax;
        if (symmetric && min < 0 && max > 0) {
            initial = (qmin + qmax) / 2.0;
        }
        int zeroPoint;
        if (initial < qmin) {
            zeroPoint = qmin;
        } else if (initial > qmax) {
            zeroPoint = qmax;
        } else {
            zeroPoint = (int) Math.rint(initial);
        }
        return ((long) Float.floatToRawIntBits((float) scale) << 32) | (zeroPoint & 0xFFFFFFFFL);
    }
}
