package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;
import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QParamsCalculator;

import java.util.logging.Logger;

/**
 * The observers that compute an affine or symmetric scale and zero point from an observed range
 * (PyTorch's {@code UniformQuantizationObserverBase}): their shared arguments, validated as
 * PyTorch 1.13 validates them, and the qparams arithmetic ({@link QParamsCalculator}).
 *
 * <p>Arguments (PyTorch's names and defaults): {@code dtype} quint8 (or qint8, qint32);
 * {@code qscheme} (per-tensor affine, or per-channel affine for per-channel observers);
 * {@code reduce_range} false (drops one bit of the 8-bit ranges, 0..127 or -64..63, as fbgemm's
 * activations need; qint32 keeps its range); {@code quant_min}/{@code quant_max} unset (a custom
 * range, which must contain 0 and lie inside the dtype's; with {@code reduce_range} PyTorch 1.13
 * halves it, {@code quant_min // 2 .. quant_max // 2}, and so does this); {@code eps}
 * {@code torch.finfo(float32).eps}, the smallest scale returned.
 */
public abstract class UniformQuantizationObserver implements Observer {
    static final Logger LOG = Logger.getLogger(UniformQuantizationObserver.class.getName());

    private final String name;
    private final DType dtype;
    private final QScheme qscheme;
    private final boolean reduceRange;
    private final QParamsCalculator calculator;

    UniformQuantizationObserver(String name, Builder<?, ?> b) {
        this.name = name;
        if (b.dtype == null) {
            throw new IllegalArgumentException(name + ": dtype must not be null");
        }
        if (b.qscheme == null) {
            throw new IllegalArgumentException(name + ": qscheme must not be null");
        }
        this.dtype = b.dtype;
        this.qscheme = b.qscheme;
        this.reduceRange = b.reduceRange;
        if (reduceRange) {
            // PyTorch warns that reduce_range will be deprecated; here it is a supported setting
            LOG.fine(() -> name + ": reduce_range is deprecated in PyTorch in favour of quant_min/quant_max");
        }
        QParamsCalculator.Scheme scheme = qscheme.isSymmetric() ? QParamsCalculator.Scheme.SYMMETRIC
                : QParamsCalculator.Scheme.AFFINE;
        QParamsCalculator c;
        if (b.quantMin != null || b.quantMax != null) {
            c = QParamsCalculator.withRange(dtype, scheme, customMin(name, b), customMax(b));
        } else {
            c = QParamsCalculator.of(dtype, scheme, reduceRange);
        }
        this.calculator = c.withEps(b.eps);
    }

    /** Checks a custom range with PyTorch's rules and messages; returns its (reduced) minimum. */
    private static int customMin(String name, Builder<?, ?> b) {
        if (b.quantMin == null || b.quantMax == null) {
            throw new IllegalArgumentException(name + ": quant_min and quant_max must be given together, got quant_min="
                    + b.quantMin + ", quant_max=" + b.quantMax);
        }
        int qmin = b.quantMin;
        int qmax = b.quantMax;
        if (!(qmin <= 0 && 0 <= qmax)) {
            throw new IllegalArgumentException(name + ": user-specified quantization range must include 0, got ["
                    + qmin + ", " + qmax + "]");
        }
        if (qmin >= qmax) {
            throw new IllegalArgumentException(name + ": qmin must be strictly less than qmax for user-specified "
                    + "quantization range, got [" + qmin + ", " + qmax + "]");
        }
        if (b.dtype == DType.QINT8 && (long) qmax - qmin + 1 > 256) {
            throw new IllegalArgumentException(name + ": quantization range [" + qmin + ", " + qmax
                    + "] should be positive and not exceed the maximum bit range (=256)");
        }
        if (qmin < b.dtype.min() || qmax > b.dtype.max()) {
            // PyTorch 1.13 accepts this for quint8 and yields zero points the dtype cannot hold
            throw new IllegalArgumentException(name + ": quantization range [" + qmin + ", " + qmax
                    + "] must lie inside " + b.dtype + "'s [" + b.dtype.min() + ", " + b.dtype.max() + "]");
        }
        return b.reduceRange ? Math.floorDiv(qmin, 2) : qmin;
    }

    private static int customMax(Builder<?, ?> b) {
        return b.reduceRange ? Math.floorDiv(b.quantMax, 2) : b.quantMax;
    }

    /** The class name PyTorch uses, for messages. */
    String name() {
        return name;
    }

    /** Throws PyTorch's error unless the qscheme is per tensor. */
    void requirePerTensor() {
        if (qscheme.isPerChannel()) {
            throw new IllegalArgumentException(name + "'s qscheme only supports per_tensor_symmetric and "
                    + "per_tensor_affine, got " + qscheme);
        }
    }

    /** Throws PyTorch's error unless the qscheme is per channel. */
    void requirePerChannel() {
        if (!qscheme.isPerChannel()) {
            throw new IllegalArgumentException(name + "'s qscheme only supports per_channel_symmetric and "
                    + "per_channel_affine, got " + qscheme);
        }
    }

    /** PyTorch's MinMax and PerChannelMinMax refuse symmetric quint8 with reduce_range. */
    void refuseReducedSymmetricQuint8() {
        if (qscheme.isSymmetric() && reduceRange && dtype == DType.QUINT8) {
            throw new IllegalArgumentException(name + ": cannot reduce range for symmetric quantization for quint8");
        }
    }

    /** Per-tensor qparams of {@code [min, max]}; PyTorch's default and a warning before any data. */
    QParams.PerTensor perTensorQParams(float min, float max) {
        if (min == Float.POSITIVE_INFINITY && max == Float.NEGATIVE_INFINITY) {
            warnNothingObserved();
            return QParams.perTensor(1.0, 0, dtype);
        }
        return calculator.perTensor(min, max);
    }

    /** Per-channel qparams; PyTorch's one-entry default and a warning before any data. */
    QParams.PerChannel perChannelQParams(float[] mins, float[] maxs, int axis) {
        if (mins.length == 0) {
            warnNothingObserved();
            return QParams.perChannel(new double[] {1.0}, new int[] {0}, axis, dtype);
        }
        return calculator.perChannel(mins, maxs, axis);
    }

    private void warnNothingObserved() {
        LOG.warning(() -> name + ": must run observer before calling calculateQParams; returning the default "
                + "scale 1.0 and zero point 0");
    }

    /** {@return the quantized type the qparams are for} */
    public DType dtype() {
        return dtype;
    }

    /** {@return the quantization scheme the qparams follow (per tensor or per channel, affine or symmetric)} */
    public QScheme qscheme() {
        return qscheme;
    }

    /** {@return whether the default 8-bit range was reduced by one bit} */
    public boolean reduceRange() {
        return reduceRange;
    }

    /** {@return the lowest quantized value of the range in use (after reduce_range)} */
    public int quantMin() {
        return calculator.qmin();
    }

    /** {@return the highest quantized value of the range in use (after reduce_range)} */
    public int quantMax() {
        return calculator.qmax();
    }

    /** {@return true when quant_min/quant_max were given} */
    public boolean hasCustomizedQRange() {
        return calculator.customRange();
    }

    /** {@return the smallest scale {@link #calculateQParams()} returns} */
    public float eps() {
        return calculator.eps();
    }

    @Override
    public String toString() {
        return name + "(dtype=" + dtype + ", qscheme=" + qscheme + ", quant_min=" + quantMin() + ", quant_max="
                + quantMax() + ", " + describeState() + ")";
    }

    /** What the observer holds, for {@link #toString()}. */
    abstract String describeState();

    /**
     * The arguments shared by every uniform observer. Builders are mutable and reusable: every
     * {@link #build()} makes a new observer, and {@link #factory()} freezes the current arguments.
     *
     * @param <B> the concrete builder
     * @param <O> the observer it builds
     */
    public abstract static class Builder<B extends Builder<B, O>, O extends UniformQuantizationObserver>
            implements Cloneable {
        DType dtype = DType.QUINT8;
        QScheme qscheme;
        boolean reduceRange;
        Integer quantMin;
        Integer quantMax;
        float eps = QParamsCalculator.EPS;

        Builder(QScheme defaultScheme) {
            this.qscheme = defaultScheme;
        }

        /**
         * {@code dtype}: quint8 (default), qint8 or qint32.
         *
         * @param dtype the quantized type
         * @return this builder
         */
        public B dtype(DType dtype) {
            this.dtype = dtype;
            return self();
        }

        /**
         * {@code qscheme}; the default depends on the observer (per tensor or per channel affine).
         *
         * @param qscheme the quantization scheme
         * @return this builder
         */
        public B qscheme(QScheme qscheme) {
            this.qscheme = qscheme;
            return self();
        }

        /**
         * {@code reduce_range}: drop one bit of the 8-bit range (default false).
         *
         * @param reduceRange whether to drop one bit
         * @return this builder
         */
        public B reduceRange(boolean reduceRange) {
            this.reduceRange = reduceRange;
            return self();
        }

        /**
         * {@code quant_min}: the lowest quantized value of a custom range (give {@link #quantMax} too).
         *
         * @param quantMin the lowest quantized value
         * @return this builder
         */
        public B quantMin(int quantMin) {
            this.quantMin = quantMin;
            return self();
        }

        /**
         * {@code quant_max}: the highest quantized value of a custom range (give {@link #quantMin} too).
         *
         * @param quantMax the highest quantized value
         * @return this builder
         */
        public B quantMax(int quantMax) {
            this.quantMax = quantMax;
            return self();
        }

        /**
         * {@code eps}: the smallest scale returned (default {@code torch.finfo(float32).eps}, 2^-23).
         *
         * @param eps the smallest scale
         * @return this builder
         */
        public B eps(float eps) {
            this.eps = eps;
            return self();
        }

        /**
         * A new observer with these arguments.
         *
         * @return a new observer
         * @throws IllegalArgumentException for arguments PyTorch refuses (with PyTorch's message)
         *                                  or the dtype cannot hold
         */
        public abstract O build();

        /**
         * PyTorch's {@code with_args}: a factory of fresh observers with the arguments as they are
         * now (later changes to this builder do not reach it). The arguments are checked here, once.
         *
         * @return a factory of new observers
         * @throws IllegalArgumentException as {@link #build()}
         */
        public ObserverFactory factory() {
            B snapshot = copy();
            snapshot.build();
            return snapshot::build;
        }

        @SuppressWarnings("unchecked")
        private B copy() {
            try {
                return (B) clone(); // every field is a primitive or immutable: a shallow copy is a snapshot
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }
    }
}
