package dev.vquant.ops.convert;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * The Quantize step ({@code nn.quantized.Quantize}): float32 to quint8 (or qint8) with fixed
 * per-tensor qparams, {@code q = clamp(zp + rint(x * f32(1/scale)), qmin, qmax)}, on the engine's
 * quantize kernel, split over threads for large tensors. Same shape (NHWC stays NHWC). NaN is
 * rejected. Immutable and thread-safe.
 */
public final class Quantize {
    private static final String NAME = "Quantize";
    private static final int GRAIN = 1 << 15;

    private final double scale;
    private final int zeroPoint;
    private final DType dtype;
    private final int threads;
    private final QParams.PerTensor qparams;

    private Quantize(double scale, int zeroPoint, DType dtype, int threads) {
        KernelArgs.checkScale(NAME + ": scale", scale);
        TensorChecks.named(NAME, () -> KernelArgs.checkQuantParams((float) scale, zeroPoint, dtype));
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.dtype = dtype;
        this.threads = threads;
        this.qparams = QParams.perTensor(scale, zeroPoint, dtype);
    }

    /**
     * Starts a Quantize step (PyTorch's {@code nn.quantized.Quantize(scale, zero_point, dtype)});
     * the output qparams are required, the dtype defaults to quint8.
     * <pre>Quantize q = Quantize.builder().output(0.05, 128).build();
     * Quantize s = Quantize.builder().output(0.02, 0).dtype(DType.QINT8).build();</pre>
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link Quantize}: the required output qparams, the dtype and the thread count. */
    public static final class Builder {
        private double scale;
        private int zeroPoint;
        private boolean outputSet;
        private DType dtype = DType.QUINT8;
        private int threads;

        private Builder() {
        }

        /**
         * The output scale and zero point (required: PyTorch's {@code scale} and {@code zero_point}).
         *
         * @param scale     output scale, a finite normal float32 {@code > 0}
         * @param zeroPoint output zero point, in the dtype's range
         * @return this builder
         */
        public Builder output(double scale, int zeroPoint) {
            this.scale = scale;
            this.zeroPoint = zeroPoint;
            this.outputSet = true;
            return this;
        }

        /**
         * The output dtype (PyTorch's {@code dtype}): quint8 (the default) or qint8.
         *
         * @param dtype the dtype
         * @return this builder
         */
        public Builder dtype(DType dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * Threads for this step; 0 (the default) follows {@link Threads#get()}.
         *
         * @param threads the thread count
         * @return this builder
         * @throws IllegalArgumentException for a negative count
         */
        public Builder threads(int threads) {
            this.threads = TensorChecks.threads(NAME, threads);
            return this;
        }

        /**
         * The Quantize step.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for output qparams never set (naming
         *                                  {@code output(scale, zeroPoint)}), a scale that is not a
         *                                  finite normal float32 {@code > 0}, a zero point outside the
         *                                  dtype, or a null or 32-bit dtype
         */
        public Quantize build() {
            TensorChecks.outputSet(NAME, outputSet);
            return new Quantize(scale, zeroPoint, dtype, threads);
        }
    }

    /**
     * The operator's name.
     *
     * @return {@code "Quantize"}
     */
    public String name() {
        return NAME;
    }

    /**
     * {@link #forward(FloatTensor, KernelBackend)} on the current engine.
     *
     * @param x the float32 tensor
     * @return a new quantized tensor of the same shape
     * @throws IllegalArgumentException as {@link #forward(FloatTensor, KernelBackend)}
     */
    public QTensor forward(FloatTensor x) {
        return forward(x, QuantEngine.current());
    }

    /**
     * Quantizes {@code x}; infinities and values beyond the range saturate, as in PyTorch.
     *
     * @param x      the float32 tensor
     * @param engine the kernel backend
     * @return a new quantized tensor of the same shape
     * @throws IllegalArgumentException naming the operator for a null input or engine, or a NaN
     *                                  element (named by its index)
     */
    public QTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        TensorChecks.engine(NAME, engine);
        float[] in = x.data();
        for (int i = 0; i < in.length; i++) {
            if (Float.isNaN(in[i])) {
                throw new IllegalArgumentException(NAME + ": input contains NaN at element " + i + " of " + x);
            }
        }
        byte[] q = OutputArena.bytes(in.length);
        int t = in.length < 2 * GRAIN ? 1 : Threads.resolve(threads);
        if (Parallel.inline(in.length, t, GRAIN)) { // one range: no capturing lambda per call
            engine.quantize().quantize(in, 0, q, 0, in.length, (float) scale, zeroPoint, dtype);
        } else {
            Parallel.forRange(in.length, t, GRAIN, (s, e) ->
                    engine.quantize().quantize(in, s, q, s, e - s, (float) scale, zeroPoint, dtype));
        }
        return OutputTensors.quantizedLike(q, qparams, x);
    }

    /**
     * Untyped entry: a quantized input gets a hint that it is already quantized.
     *
     * @param x the input, expected to be a {@link FloatTensor}
     * @return a new quantized tensor of the same shape
     * @throws IllegalArgumentException for anything but a float tensor, else as {@link #forward(FloatTensor)}
     */
    public QTensor apply(Object x) {
        if (x instanceof QTensor q) {
            throw new IllegalArgumentException(NAME + ": expected a float tensor, got the already quantized " + q
                    + "; remove this Quantize step or insert a DeQuantize before it");
        }
        return forward(TensorChecks.floating(NAME, x));
    }
}
