package dev.vquant.ops.core;

import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.Requantization;

/**
 * How a static quantized operator turns its int32 accumulators into quint8 outputs.
 * {@link #ENGINE} follows the engine's declared numerics ({@link EngineNumerics#biasArithmetic()}):
 * qnnpack's int-bias arithmetic on qnnpack, fbgemm's float-bias arithmetic on fbgemm and reference
 * (golden/NUMERICS.md).
 */
public enum RequantMode {
    /** The engine's own PyTorch arithmetic (the default). */
    ENGINE,
    /** Always fbgemm's float-bias arithmetic ({@link Requantization#fbgemm}). */
    FBGEMM,
    /** Always qnnpack's int-bias arithmetic ({@link Requantization#qnnpack}). */
    QNNPACK,
    /** gemmlowp fixed point, integer only ({@link Requantization#fixedPoint}); not PyTorch's result. */
    FIXED_POINT;

    /**
     * The concrete arithmetic this mode uses on {@code engine}.
     *
     * @param engine the engine a call runs on
     * @return this mode, or for {@link #ENGINE} the engine's own ({@link #FBGEMM} or {@link #QNNPACK})
     */
    public RequantMode on(KernelBackend engine) {
        if (this != ENGINE) {
            return this;
        }
        return engine.numerics().biasArithmetic() == EngineNumerics.BiasArithmetic.INT_BIAS ? QNNPACK : FBGEMM;
    }

    /**
     * Builds the output stage for one input scale (this mode resolved on {@code engine}).
     *
     * @param engine       the engine a call runs on
     * @param inScale      the input scale
     * @param weightScales one weight scale, or one per output channel
     * @param bias         float bias per output channel, or null
     * @param outScale     the output scale
     * @param outZeroPoint the output zero point
     * @param relu         whether a ReLU is fused
     * @param channels     the output channels
     * @return the output stage
     */
    public Requantization build(KernelBackend engine, double inScale, double[] weightScales, float[] bias,
                                double outScale, int outZeroPoint, boolean relu, int channels) {
        return switch (on(engine)) {
            case QNNPACK -> Requantization.qnnpack(inScale, weightScales, bias, outScale, outZeroPoint, relu, channels);
            case FIXED_POINT -> Requantization.fixedPoint(inScale, weightScales, bias, outScale, outZeroPoint, relu, channels);
            default -> Requantization.fbgemm(inScale, weightScales, bias, outScale, outZeroPoint, relu, channels);
        };
    }
}
