package dev.vquant.engine.spi;

import java.util.Objects;

/**
 * The PyTorch arithmetic a backend reproduces, declared by the backend itself
 * ({@link KernelBackend#numerics()}): operators and tools read these facts instead of comparing
 * engine names. Two PyTorch families exist; each backend picks one of the presets (or, for an
 * oracle, the reference kernels take another backend's: {@code ReferenceBackend.withNumerics}).
 *
 * @param family             whose PyTorch engine's results this backend equals, and so which
 *                           default qconfig ({@code get_default_qconfig("fbgemm"|"qnnpack")}) and
 *                           which elementwise arithmetic apply
 * @param biasArithmetic     how static quantized Linear/Conv add the float bias before requantizing
 * @param fusedFloatOutput   dynamic Linear's float output with one rounding,
 *                           {@code fma(f32(acc), f32(sx * sw), bias)} (fbgemm), rather than two
 *                           (qnnpack: multiply, then add)
 * @param honoursReduceRange whether dynamic operators quantize activations to 0..127 when asked
 *                           (fbgemm's 7-bit activations); qnnpack ignores reduce_range
 */
public record EngineNumerics(Family family, BiasArithmetic biasArithmetic, boolean fusedFloatOutput,
                             boolean honoursReduceRange) {

    /** The PyTorch engine family whose numerics (and default qconfig) a backend follows. */
    public enum Family {
        /** PyTorch's fbgemm / x86 engines (ATen's quantized kernels for elementwise ops). */
        FBGEMM,
        /** PyTorch's qnnpack engine. */
        QNNPACK
    }

    /** How the bias enters the requantization of a static Linear/Conv (golden/NUMERICS.md). */
    public enum BiasArithmetic {
        /** fbgemm: {@code f32(f32(acc) + bias / (sx * sw)) * multiplier}, see {@link Requantization#fbgemm}. */
        FLOAT_BIAS,
        /** qnnpack: the bias rounded to int32 first, {@code f32(acc + bq) * multiplier}, see {@link Requantization#qnnpack}. */
        INT_BIAS
    }

    /** fbgemm's numerics: float bias, fused dynamic output, reduce_range honoured. */
    public static final EngineNumerics FBGEMM = new EngineNumerics(Family.FBGEMM, BiasArithmetic.FLOAT_BIAS, true, true);

    /** qnnpack's numerics: int32 bias, two-rounding dynamic output, reduce_range ignored. */
    public static final EngineNumerics QNNPACK = new EngineNumerics(Family.QNNPACK, BiasArithmetic.INT_BIAS, false, false);

    /**
     * Declares a backend's numerics; normally one of the presets {@link #FBGEMM} and {@link #QNNPACK}.
     *
     * @throws NullPointerException when {@code family} or {@code biasArithmetic} is null
     */
    public EngineNumerics {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(biasArithmetic, "biasArithmetic");
    }
}
