package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.Requantization;

import java.util.Arrays;

/**
 * The validated output side of a statically quantized operator with weights: float bias per
 * output channel, quint8 output qparams, fused ReLU, requantization arithmetic and thread count,
 * taken from a {@link StaticOpBuilder}. Immutable (the bias is copied); the output qparams are
 * built once, so that a forward call does not allocate them.
 *
 * @param op      the operator's name, for messages
 * @param bias    float bias per output channel, or null
 * @param qparams the quint8 output qparams every call produces
 * @param relu    whether a ReLU is fused
 * @param mode    the requantization arithmetic
 * @param threads threads, 0 for the default
 */
public record StaticOutput(String op, float[] bias, QParams.PerTensor qparams, boolean relu, RequantMode mode,
                           int threads) {

    /**
     * Validates {@code b} for an operator with {@code channels} output channels.
     *
     * @param op       the operator's name, for messages
     * @param b        the builder
     * @param channels the output channels
     * @return the validated output side
     * @throws IllegalArgumentException naming {@code op} for a bias of another length or with a
     *                                  NaN or infinite value, output qparams never set, or invalid ones
     */
    public static StaticOutput of(String op, StaticOpBuilder<?> b, int channels) {
        if (b.bias() != null && b.bias().length != channels) {
            throw new IllegalArgumentException(op + ": expected a bias of " + channels + " values, got " + b.bias().length);
        }
        TensorChecks.finiteBias(op, b.bias());
        TensorChecks.outputSet(op, b.hasOutput());
        TensorChecks.outputQParams(op, b.outScale(), b.outZeroPoint());
        return new StaticOutput(op, b.bias() == null ? null : b.bias().clone(),
                QParams.perTensor(b.outScale(), b.outZeroPoint(), DType.QUINT8), b.relu(), b.requantMode(), b.threads());
    }

    /**
     * The output scale.
     *
     * @return {@code qparams().scale()}
     */
    public double outScale() {
        return qparams.scale();
    }

    /**
     * The output zero point.
     *
     * @return {@code qparams().zeroPoint()}
     */
    public int outZeroPoint() {
        return qparams.zeroPoint();
    }

    /**
     * The output stage of output channels {@code [from, to)} for one input scale on {@code engine},
     * given the weight scales of those channels (one when per tensor).
     *
     * @param engine       the engine a call runs on
     * @param inScale      the input scale
     * @param weightScales the weight scales of those channels, or the one per-tensor scale
     * @param from         the first output channel, inclusive
     * @param to           the last output channel, exclusive
     * @return the output stage
     * @throws IllegalArgumentException naming the operator when this input scale makes the stage
     *                                  impossible (a multiplier or scaled bias beyond float32 or int32)
     */
    public Requantization requantization(KernelBackend engine, double inScale, double[] weightScales, int from, int to) {
        float[] b = bias == null ? null : from == 0 && to == bias.length ? bias : Arrays.copyOfRange(bias, from, to);
        return TensorChecks.named(op + " with input scale " + inScale,
                () -> mode.build(engine, inScale, weightScales, b, outScale(), outZeroPoint(), relu, to - from));
    }
}
