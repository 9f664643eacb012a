package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

import java.util.Arrays;

/**
 * Quantized BatchNorm2d in eval mode, optionally with a fused ReLU, on NHWC quint8 (PyTorch's
 * {@code quantized::batch_norm2d} and {@code batch_norm2d_relu}, what {@code nnq.BatchNorm2d} and
 * {@code nniq.BNReLU2d} call). ATen's numerics, the same on every engine (PyTorch runs one ATen
 * kernel whatever its engine):
 * <ul>
 * <li>per channel, in float32 with a double scale ratio ({@code compute_fused_params}):
 * {@code inv = f32(1.0 / sqrtf(var + f32(eps)))},
 * {@code alpha = f32(f32(inv * weight) * (inScale / outScale))},
 * {@code beta = f32(f32(bias - f32(mean * inv) * weight) / outScale)};</li>
 * <li>per element: {@code y = clamp(rint(fma(alpha, f32(q - inZp), beta)) + outZp, 0, 255)}, one
 * rounding in the multiply-add (ATen's vector loop fuses it, and the AVX2/AVX-512 and NEON builds
 * contract its scalar tail too; the golden cases hold channels where an unfused multiply-add would
 * round apart), ties to even; with ReLU the result is at least {@code outZp}. NaN gives 0 and
 * values beyond the int range saturate (PyTorch's conversions are not specified there).</li>
 * </ul>
 * From 256 pixels (N*H*W) on, each channel's 256 possible results are tabulated first
 * and the pass costs one load per byte (the result per element is the formula above either way:
 * {@link #reference} is the element-by-element twin). Split over pixels. Immutable and thread-safe.
 */
public final class QBatchNorm2d implements QuantizedOperator {
    /** From this many pixels (N*H*W) on, per-channel tables are cheaper than the arithmetic per element. */
    static final int TABLE_MIN_PIXELS = 256;
    private static final int GRAIN = 1 << 14;

    private final int channels;
    private final float[] weight;
    private final float[] bias;
    private final float[] mean;
    private final float[] var;
    private final double eps;
    private final double outScale;
    private final int outZeroPoint;
    private final boolean relu;
    private final int threads;
    private final QParams.PerTensor outQParams;
    private volatile Fused lastFused;

    private QBatchNorm2d(Builder b) {
        String op = b.relu ? "BNReLU2d" : "BatchNorm2d";
        if (b.channels <= 0) {
            throw new IllegalArgumentException(op + ": channels must be > 0, got " + b.channels);
        }
        this.channels = b.channels;
        this.mean = params(op, "running_mean", b.mean, false);
        this.var = params(op, "running_var", b.var, false);
        this.weight = b.weight == null ? filled(1f) : params(op, "weight", b.weight, true);
        this.bias = b.bias == null ? filled(0f) : params(op, "bias", b.bias, true);
        for (int c = 0; c < channels; c++) {
            if (var[c] < 0) {
                throw new IllegalArgumentException(op + ": running_var must be >= 0, got " + var[c] + " at channel " + c);
            }
        }
        if (!(b.eps > 0) || Double.isInfinite(b.eps)) {
            throw new IllegalArgumentException(op + ": eps must be positive and finite, got " + b.eps);
        }
        this.eps = b.eps;
        if (!b.outputSet) {
            throw new IllegalArgumentException(op + ": output qparams are required (builder.output(scale, zeroPoint))");
        }
        TensorChecks.outputQParams(op, b.outScale, b.outZeroPoint);
        this.outScale = b.outScale;
        this.outZeroPoint = b.outZeroPoint;
        this.relu = b.relu;
        this.threads = b.threads;
        this.outQParams = QParams.perTensor(outScale, outZeroPoint, DType.QUINT8);
    }

    private float[] params(String op, String what, float[] values, boolean optional) {
        if (values == null) {
            throw new IllegalArgumentException(op + ": " + what + " is required" + (optional ? "" : " (eval mode uses the running statistics)"));
        }
        if (values.length != channels) {
            throw new IllegalArgumentException(op + ": " + what + " must have " + channels + " values (one per channel), got "
                    + values.length);
        }
        for (int c = 0; c < channels; c++) {
            if (!Float.isFinite(values[c])) {
                throw new IllegalArgumentException(op + ": " + what + " must be finite, got " + values[c] + " at channel " + c);
            }
        }
        return values.clone();
    }

    private float[] filled(float v) {
        float[] a = new float[channels];
        Arrays.fill(a, v);
        return a;
    }

    /**
     * A builder for {@code channels} channels (weight 1, bias 0, eps 1e-5, no ReLU until set).
     *
     * @param channels the channels, the last NHWC dimension (PyTorch's {@code num_features})
     * @return a new builder
     */
    public static Builder builder(int channels) {
        return new Builder(channels);
    }

    @Override
    public String name() {
        return relu ? "BNReLU2d" : "BatchNorm2d";
    }

    /** {@return the number of channels (the last NHWC dimension)} */
    public int channels() {
        return channels;
    }

    /** {@return the output scale} */
    public double outScale() {
        return outScale;
    }

    /** {@return the output zero point} */
    public int outZeroPoint() {
        return outZeroPoint;
    }

    /** {@return whether a ReLU is fused} */
    public boolean relu() {
        return relu;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, or an input
     *                                  that is not a per-tensor quint8 NHWC {@code [N, H, W, channels]} tensor
     */
    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = check(x);
        TensorChecks.engine(name(), engine);
        Fused f = fused(q);
        byte[] in = x.bytes();
        byte[] out = OutputArena.bytes(in.length);
        int pixels = in.length / channels;
        int zp = q.zeroPoint();
        int t = (long) in.length < 2L * GRAIN ? 1 : Threads.resolve(threads);
        if (pixels >= TABLE_MIN_PIXELS) {
            byte[] table = f.table();
            Parallel.forRange(pixels, t, Math.max(1, GRAIN / channels), (s, e) -> {
                for (int p = s; p < e; p++) {
                    int base = p * channels;
                    for (int c = 0; c < channels; c++) {
                        out[base + c] = table[(c << 8) | (in[base + c] & 0xFF)];
                    }
                }
            });
        } else {
            elementwise(in, out, f.alpha(), f.beta(), zp);
        }
        return OutputTensors.quantizedLike(out, outQParams, x);
    }

    /**
     * The fused parameters and per-channel tables of one input's qparams: the last ones when the
     * qparams repeat (a static model's usually do), so that a call builds none. One volatile
     * immutable entry: concurrent callers at worst build the same twice.
     */
    private Fused fused(QParams.PerTensor q) {
        Fused f = lastFused;
        if (f != null && f.inScale() == q.scale() && f.inZeroPoint() == q.zeroPoint()) {
            return f;
        }
        float[] alpha = new float[channels];
        float[] beta = new float[channels];
        fusedParams(q.scale(), alpha, beta);
        byte[] table = new byte[channels * 256];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                table[c * 256 + v] = (byte) apply(alpha[c], beta[c], v - q.zeroPoint());
            }
        }
        f = new Fused(q.scale(), q.zeroPoint(), alpha, beta, table);
        lastFused = f;
        return f;
    }

    /** {@link #fusedParams} of one input scale and the tables {@code table[c * 256 + q]} of one input zero point. */
    private record Fused(double inScale, int inZeroPoint, float[] alpha, float[] beta, byte[] table) {
    }

    /**
     * The scalar twin of {@link #forward}: the same definition computed element by element with no
     * table and no threads (what the fast path is tested against).
     *
     * @param x the per-tensor quint8 NHWC input
     * @return a new quint8 tensor equal to {@link #forward}'s
     * @throws IllegalArgumentException as {@link #forward}
     */
    public QTensor reference(QTensor x) {
        QParams.PerTensor q = check(x);
        float[] alpha = new float[channels];
        float[] beta = new float[channels];
        fusedParams(q.scale(), alpha, beta);
        byte[] out = new byte[x.numel()];
        elementwise(x.bytes(), out, alpha, beta, q.zeroPoint());
        return OutputTensors.quantizedLike(out, outQParams, x);
    }

    private QParams.PerTensor check(QTensor x) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
        TensorChecks.rank(name(), x.shape(), 4, "NHWC");
        TensorChecks.lastDim(name(), x.shape(), channels, "channels");
        return q;
    }

    private void elementwise(byte[] in, byte[] out, float[] alpha, float[] beta, int zp) {
        for (int i = 0; i < in.length; i++) {
            int c = i % channels;
            out[i] = (byte) apply(alpha[c], beta[c], (in[i] & 0xFF) - zp);
        }
    }

    /** One element: {@code clamp(rint(fma(alpha, q - zp, beta)) + outZp)}, at least outZp with ReLU. */
    private int apply(float alpha, float beta, int centered) {
        int y = QuantArith.quantize(Math.fma(alpha, (float) centered, beta), 1f, outZeroPoint);
        return relu ? Math.max(y, outZeroPoint) : y;
    }

    /** ATen's {@code compute_fused_params} for an input of scale {@code inScale}. */
    private void fusedParams(double inScale, float[] alpha, float[] beta) {
        float e = (float) eps;
        double ratio = inScale / outScale;
        for (int c = 0; c < channels; c++) {
            float invSigma = (float) (1.0 / (float) Math.sqrt(var[c] + e));
            float w = weight[c];
            alpha[c] = (float) ((invSigma * w) * ratio);
            beta[c] = (float) ((bias[c] - mean[c] * invSigma * w) / outScale);
        }
    }

    /** Options of {@link QBatchNorm2d}; arrays are copied at {@link #build()}. */
    public static final class Builder {
        private final int channels;
        private float[] weight;
        private float[] bias;
        private float[] mean;
        private float[] var;
        private double eps = 1e-5;
        private double outScale = Double.NaN;
        private int outZeroPoint;
        private boolean outputSet;
        private boolean relu;
        private int threads;

        private Builder(int channels) {
            this.channels = channels;
        }

        /**
         * {@code weight [channels]} (gamma); null (the default) for 1.
         *
         * @param weight gamma per channel, or null
         * @return this builder
         */
        public Builder weight(float[] weight) {
            this.weight = weight;
            return this;
        }

        /**
         * {@code bias [channels]} (beta); null (the default) for 0.
         *
         * @param bias beta per channel, or null
         * @return this builder
         */
        public Builder bias(float[] bias) {
            this.bias = bias;
            return this;
        }

        /**
         * {@code running_mean [channels]} (required).
         *
         * @param mean the running mean per channel
         * @return this builder
         */
        public Builder runningMean(float[] mean) {
            this.mean = mean;
            return this;
        }

        /**
         * {@code running_var [channels]} (required, non-negative).
         *
         * @param var the running variance per channel
         * @return this builder
         */
        public Builder runningVar(float[] var) {
            this.var = var;
            return this;
        }

        /**
         * The value added to the variance (default 1e-5, as {@code nn.BatchNorm2d}).
         *
         * @param eps the value added to the variance, {@code > 0}
         * @return this builder
         */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /**
         * quint8 output scale and zero point (required).
         *
         * @param scale     the output scale
         * @param zeroPoint the output zero point, in [0, 255]
         * @return this builder
         */
        public Builder output(double scale, int zeroPoint) {
            this.outScale = scale;
            this.outZeroPoint = zeroPoint;
            this.outputSet = true;
            return this;
        }

        /**
         * Fuse a ReLU ({@code batch_norm2d_relu}).
         *
         * @param relu whether to fuse it
         * @return this builder
         */
        public Builder relu(boolean relu) {
            this.relu = relu;
            return this;
        }

        /**
         * Threads; 0 (the default) follows {@link Threads#get()}.
         *
         * @param threads the thread count, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException for a negative count
         */
        public Builder threads(int threads) {
            this.threads = TensorChecks.threads("BatchNorm2d", threads);
            return this;
        }

        /**
         * Validates the options and builds the operator.
         *
         * @return the operator
         */
        public QBatchNorm2d build() {
            return new QBatchNorm2d(this);
        }
    }
}
