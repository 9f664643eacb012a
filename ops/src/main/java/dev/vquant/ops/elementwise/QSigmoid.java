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
 * Quantized Sigmoid (PyTorch's {@code quantized::sigmoid} for quint8): fixed output qparams
 * scale {@code 1/256}, zero point 0, on {@code x = f32(q - zp) * scale} and
 * {@code e = f32(exp(-x))}:
 * <ul>
 * <li>fbgemm and reference (ATen's kernel, {@link QuantArith}): vector loop
 * {@code y = f32(1 / f32(1 + e))}, scalar tail {@code y = f32(1 / (1 + (double) e))}, both
 * quantized with {@code 256};</li>
 * <li>qnnpack (QNNPACK's lookup table): {@code lrintf(clamp(f32(256 / f32(1 + e)), 0, 255))}.</li>
 * </ul>
 * The exponential is {@link StrictMath#exp} rounded to float32 (the same bits on every JVM and
 * CPU), where PyTorch uses Sleef's (ATen's vector loop) or the C library's {@code expf} (within an
 * ulp of each other), so a value lying within an ulp of a rounding tie may land one step apart. Immutable and thread-safe.
 */
public final class QSigmoid implements QuantizedOperator {
    /** PyTorch's fixed quint8 sigmoid output scale, {@code 1/2^8}. */
    public static final double OUTPUT_SCALE = 1.0 / 256;

    private static final QParams.PerTensor OUTPUT_QPARAMS = QParams.perTensor(OUTPUT_SCALE, 0, DType.QUINT8);

    private final int threads;
    private final UnaryTable.Cache tables = new UnaryTable.Cache(QSigmoid::tables);

    /**
     * A quantized sigmoid with PyTorch's fixed output qparams.
     *
     * @param threads threads for this operator, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a negative thread count
     */
    public QSigmoid(int threads) {
        this.threads = TensorChecks.threads(name(), threads);
    }

    @Override
    public String name() {
        return "Sigmoid";
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
        return OutputTensors.quantizedLike(out, OUTPUT_QPARAMS, x);
    }

    /** The tables of one family and input qparams: QNNPACK's one loop, or ATen's vector and scalar loops. */
    private static UnaryTable.Tables tables(Family family, float s, int zp) {
        if (family == Family.QNNPACK) {
            return UnaryTable.Tables.single(UnaryTable.build(v -> {
                float y = 256f / (1f + exp(-(s * (float) (v - zp))));
                return (int) Math.rint(Math.min(Math.max(y, 0f), 255f));
            }));
        }
        return UnaryTable.Tables.aten(
                UnaryTable.build(v -> QuantArith.quantize(1f / (1f + exp(-QuantArith.dequantizeScalar(v, s, zp))), 256f, 0)),
                UnaryTable.build(v -> QuantArith.quantize(
                        (float) (1.0 / (1.0 + exp(-QuantArith.dequantizeScalar(v, s, zp)))), 256f, 0)));
    }

    /** {@code e^x} rounded to float32; StrictMath so that the table is the same on every platform. */
    private static float exp(float x) {
        return (float) StrictMath.exp(x);
    }
}
