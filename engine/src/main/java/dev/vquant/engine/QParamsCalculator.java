package dev.vquant.engine;

/**
 * Quantization parameters from an observed range, with the numerics of PyTorch's observers
 * ({@code _ObserverBase._calculate_qparams}, used by MinMaxObserver, PerChannelMinMaxObserver and
 * the moving-average variants), bit for bit. PyTorch computes in float32 tensors; so does this:
 * <pre>
 * minNeg = min(min, 0), maxPos = max(max, 0)
 * affine:    scale = max(f32(maxPos - minNeg) / f32(qmax - qmin), eps)
 *            zp    = clamp(qmin - (int) rint_half_even(f32(minNeg / scale)), qmin, qmax)
 * symmetric: scale = max(f32(max(-minNeg, maxPos) / f32((qmax - qmin) / 2)), eps)
 *            zp    = 0 for qint8; for quint8 128, or (qmin + qmax) / 2 with a custom range
 * </pre>
 * with {@code eps = torch.finfo(float32).eps = 2^-23} unless an observer sets its own
 * ({@link #withEps}). Ranges: quint8 0..255, qint8 -128..127, qint32 -2^31..2^31-1;
 * {@code reduceRange} halves the 8-bit ones (0..127, -64..63) as fbgemm's activations need and
 * leaves qint32 whole, as PyTorch does. {@code qmax - qmin} is taken in integer arithmetic and
 * rounded to float32 once (for qint32 that is 2^32), and a qint32 zero point is computed in 64
 * bits and clamped (PyTorch's int32 arithmetic can wrap there; it cannot for the 8-bit types).
 * As in PyTorch, an observer that saw nothing (min or max infinite) gives scale 1, zero point 0;
 * min > max is an error. Immutable and thread-safe.
 */
public final class QParamsCalculator {
    /** {@code torch.finfo(torch.float32).eps}: the smallest scale PyTorch's observers return. */
    public static final float EPS = 0x1p-23f;

    /** Affine (asymmetric, zero point from the minimum) or symmetric (zero point fixed). */
    public enum Scheme {
        /** {@code torch.per_tensor_affine} / {@code per_channel_affine}: the range sets scale and zero point. */
        AFFINE,
        /** {@code torch.per_tensor_symmetric} / {@code per_channel_symmetric}: range symmetric around 0. */
        SYMMETRIC
    }

    private final DType dtype;
    private final Scheme scheme;
    private final int qmin;
    private final int qmax;
    private final boolean customRange;
    private final float eps;

    private QParamsCalculator(DType dtype, Scheme scheme, int qmin, int qmax, boolean customRange, float eps) {
        this.dtype = dtype;
        this.scheme = scheme;
        this.qmin = qmin;
        this.qmax = qmax;
        this.customRange = customRange;
        this.eps = eps;
    }

    /**
     * The calculator of an observer with PyTorch's default range for {@code dtype}
     * ({@code reduceRange} drops one bit: quint8 0..127, qint8 -64..63; qint32 keeps its range).
     *
     * @param dtype       quint8, qint8 or qint32
     * @param scheme      affine or symmetric
     * @param reduceRange drop one bit of the 8-bit ranges
     * @return the calculator
     * @throws IllegalArgumentException for a null dtype or scheme
     */
    public static QParamsCalculator of(DType dtype, Scheme scheme, boolean reduceRange) {
        checkDType(dtype);
        if (scheme == null) {
            throw new IllegalArgumentException("scheme must not be null");
        }
        int qmin = dtype.min();
        int qmax = dtype.max();
        if (reduceRange && dtype.isByte()) {
            qmin = dtype == DType.QUINT8 ? 0 : -64;
            qmax = dtype == DType.QUINT8 ? 127 : 63;
        }
        return new QParamsCalculator(dtype, scheme, qmin, qmax, false, EPS);
    }

    /**
     * The calculator of an observer with a custom {@code quant_min..quant_max} (PyTorch's
     * "customized qrange": a symmetric quint8 zero point is then {@code (qmin + qmax) / 2}).
     *
     * @param dtype  quint8, qint8 or qint32
     * @param scheme affine or symmetric
     * @param qmin   {@code quant_min}, within the dtype's range
     * @param qmax   {@code quant_max}, within the dtype's range
     * @return the calculator
     * @throws IllegalArgumentException for a null dtype or scheme, or a range not inside the dtype's or without {@code qmin < qmax}
     */
    public static QParamsCalculator withRange(DType dtype, Scheme scheme, int qmin, int qmax) {
        checkDType(dtype);
        if (scheme == null) {
            throw new IllegalArgumentException("scheme must not be null");
        }
        if (qmin < dtype.min() || qmax > dtype.max() || qmin >= qmax) {
            throw new IllegalArgumentException("quantization range [" + qmin + ", " + qmax + "] must satisfy "
                    + dtype.min() + " <= qmin < qmax <= " + dtype.max() + " for " + dtype);
        }
        return new QParamsCalculator(dtype, scheme, qmin, qmax, true, EPS);
    }

    /**
     * This calculator with another lower bound for the scale (PyTorch's observer argument
     * {@code eps}, held as a float32 tensor there too).
     *
     * @param eps the smallest scale to return
     * @return a new calculator; this one is unchanged
     * @throws IllegalArgumentException unless {@code eps} is finite and > 0
     */
    public QParamsCalculator withEps(float eps) {
        if (!(eps > 0) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
        }
        return new QParamsCalculator(dtype, scheme, qmin, qmax, customRange, eps);
    }

    /**
     * Per-tensor parameters for the observed range {@code [min, max]}.
     *
     * @param min observed minimum (infinite when nothing was observed)
     * @param max observed maximum
     * @return the scale and zero point
     * @throws IllegalArgumentException when {@code min > max} or either is NaN
     */
    public QParams.PerTensor perTensor(float min, float max) {
        ScaleZeroPoint sz = compute(min, max, "");
        return QParams.perTensor(sz.scale, sz.zeroPoint, dtype);
    }

    /**
     * Per-channel parameters, one per entry of {@code mins}/{@code maxs}, along {@code axis}.
     *
     * @param mins observed minimum per channel
     * @param maxs observed maximum per channel
     * @param axis the channel axis the parameters are for
     * @return one scale and zero point per channel
     * @throws IllegalArgumentException for null, empty or unequal arrays, a negative axis, or a channel whose range {@link #perTensor} rejects
     */
    public QParams.PerChannel perChannel(float[] mins, float[] maxs, int axis) {
        if (mins == null || maxs == null || mins.length != maxs.length || mins.length == 0) {
            throw new IllegalArgumentException("per-channel ranges need as many (and at least one) minima as maxima, got "
                    + (mins == null ? "null" : mins.length) + " and " + (maxs == null ? "null" : maxs.length));
        }
        double[] scales = new double[mins.length];
        int[] zeroPoints = new int[mins.length];
        for (int c = 0; c < mins.length; c++) {
            ScaleZeroPoint sz = compute(mins[c], maxs[c], " of channel " + c);
            scales[c] = sz.scale;
            zeroPoints[c] = sz.zeroPoint;
        }
        return QParams.perChannel(scales, zeroPoints, axis, dtype);
    }

    /**
     * The quantized dtype the computed parameters are for.
     *
     * @return quint8, qint8 or qint32
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * Whether zero points follow the observed minimum or are fixed.
     *
     * @return the scheme, never null
     */
    public Scheme scheme() {
        return scheme;
    }

    /** {@return the lowest quantized value of the range} */
    public int qmin() {
        return qmin;
    }

    /** {@return the highest quantized value of the range} */
    public int qmax() {
        return qmax;
    }

    /** {@return the smallest scale this calculator returns} */
    public float eps() {
        return eps;
    }

    /** {@return true when the range was given ({@link #withRange}) rather than derived from the dtype} */
    public boolean customRange() {
        return customRange;
    }

    /** One channel's result: a float32 scale and its zero point. */
    private record ScaleZeroPoint(float scale, int zeroPoint) {
    }

    /** Scale and zero point in float32, PyTorch's operation order. */
    private ScaleZeroPoint compute(float min, float max, String which) {
        if (Float.isNaN(min) || Float.isNaN(max)) {
            throw new IllegalArgumentException("observed range" + which + " contains NaN: [" + min + ", " + max + "]");
        }
        if (Float.isInfinite(min) || Float.isInfinite(max)) {
            // PyTorch: an observer that has not seen data yet (min = +inf, max = -inf) gives (1, 0)
            return new ScaleZeroPoint(1.0f, 0);
        }
        if (min > max) {
            throw new IllegalArgumentException("observed range" + which + " has min " + min + " > max " + max);
        }
        float minNeg = Math.min(min, 0f);
        float maxPos = Math.max(max, 0f);
        // PyTorch: float(quant_max - quant_min), a Python float, meets a float32 tensor: one rounding
        long levels = (long) qmax - qmin;
        float scale;
        int zeroPoint;
        if (scheme == Scheme.SYMMETRIC) {
            float absMax = Math.max(-minNeg, maxPos);
            scale = Math.max(absMax / (float) (levels / 2.0), eps);
            zeroPoint = dtype == DType.QUINT8 ? (customRange ? Math.floorDiv(qmin + qmax, 2) : 128) : 0;
        } else {
            scale = Math.max((maxPos - minNeg) / (float) levels, eps);
            long zp = qmin - (long) Math.rint(minNeg / scale);
            zeroPoint = (int) Math.max(qmin, Math.min(qmax, zp));
        }
        if (Float.isInfinite(scale)) {
            throw new IllegalArgumentException("observed range" + which + " [" + min + ", " + max
                    + "] is too wide: its scale overflows float32");
        }
        return new ScaleZeroPoint(scale, zeroPoint);
    }

    private static void checkDType(DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("observers compute qparams for quint8, qint8 or qint32, got null");
        }
    }
}
