package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.EngineNumerics.Family;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized Hardswish (PyTorch's {@code quantized::hardswish}) with given output qparams,
 * {@code y = x * clamp(x + 3, 0, 6) / 6} in float32 (that operation order) on
 * {@code x = dequantize(q)}:
 * <ul>
 * <li>fbgemm and reference (ATen's kernel, {@link QuantArith}): the vector loop dequantizes with
 * fma and quantizes with {@code f32(1.0 / outScale)} (a double reciprocal), the scalar tail with
 * {@code f32(q - zp) * scale} and {@code 1.0f / f32(outScale)};</li>
 * <li>qnnpack (QNNPACK's lookup table): {@code x = f32(scale * f32(q - zp))},
 * {@code y = lrintf(clamp(f32(1.0f / outScale) * hardswish(x) + zOut, 0, 255))}: the zero point is
 * added before rounding.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class QHardswish implements QuantizedOperator {
    private final double outScale;
    private final int outZeroPoint;
    private final int threads;
    private final QParams.PerTensor outQParams;
    private final UnaryTable.Cache tables = new UnaryTable.Cache(this::tables);

    private QHardswish(double outScale, int outZeroPoint, int threads) {
        TensorChecks.outputQParams("Hardswish", outScale, outZeroPoint);
        this.outScale = outScale;
        this.outZeroPoint = outZeroPoint;
        this.threads = threads;
        this.outQParams = QParams.perTensor(outScale, outZeroPoint, DType.QUINT8);
    }

    /**
     * Starts a quantized Hardswish (PyTorch's {@code nn.quantized.Hardswish(scale, zero_point)});
     * the output qparams are required.
     * <pre>QHardswish hs = QHardswish.builder().output(0.05, 128).build();</pre>
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link QHardswish}: the required quint8 output qparams and the thread count. */
    public static final class Builder {
        private double outScale;
        private int outZeroPoint;
        private boolean outputSet;
        private int threads;

        private Builder() {
        }

        /**
         * The quint8 output scale and zero point (required).
         *
         * @param scale     output scale
         * @param zeroPoint output zero point, 0..255
         * @return this builder
         */
        public Builder output(double scale, int zeroPoint) {
            this.outScale = scale;
            this.outZeroPoint = zeroPoint;
            this.outputSet = true;
            return this;
        }

        /**
         * Threads for this operator; 0 (the default) follows {@link Threads#get()}.
         *
         * @param threads the thread count
         * @return this builder
         * @throws IllegalArgumentException for a negative count
         */
        public Builder threads(int threads) {
            this.threads = TensorChecks.threads("Hardswish", threads);
            return this;
        }

        /**
         * The operator.
         *
         * @return the Hardswish
         * @throws IllegalArgumentException naming the operator for output qparams never set
         *                                  (naming {@code output(scale, zeroPoint)}) or invalid ones
         */
        public QHardswish build() {
            TensorChecks.outputSet("Hardswish", outputSet);
            return new QHardswish(outScale, outZeroPoint, threads);
        }
    }

    @Override
    public String name() {
        return "Hardswish";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, or an input
     *                                  that is not a per-tensor quint8 tensor
     */
    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
        TensorChecks.engine(name(), engine);
        byte[] out = tables.get(engine.numerics().family(), q).map(x, Threads.resolve(threads));
        return OutputTensors.quantizedLike(out, outQParams, x);
    }

    /** The tables of one family and input qparams: QNNPACK's one loop, or ATen's vector and scalar loops. */
    private UnaryTable.Tables tables(Family family, float s, int zp) {
        if (family == Family.QNNPACK) {
            float inv = 1.0f / (float) outScale;
            return UnaryTable.Tables.single(UnaryTable.build(v -> {
                float y = inv * hardswish(s * (float) (v - zp)) + outZeroPoint;
                return (int) Math.rint(Math.min(Math.max(y, 0f), 255f));
            }));
        }
        float premul = QuantArith.premul(s, zp);
        float vectorInv = (float) (1.0 / outScale);
        float scalarInv = QuantArith.scalarInverse(outScale);
        return UnaryTable.Tables.aten(
                UnaryTable.build(v -> QuantArith.quantize(hardswish(QuantArith.dequantize(v, s, premul)), vectorInv, outZeroPoint)),
                UnaryTable.build(v -> QuantArith.quantize(hardswish(QuantArith.dequantizeScalar(v, s, zp)), scalarInv, outZeroPoint)));
    }

    /** {@code x * clamp(x + 3, 0, 6) / 6} in float32, PyTorch's order. */
    private static float hardswish(float x) {
        return x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
    }
}
