package dev.vquant.arm.output;

import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.Requantization;

/**
 * One thread's reusable output stages, so that a kernel call binds an existing stage instead of
 * allocating one. Owned by a single thread (held in the kernels' per-thread scratch).
 */
public final class OutputStages {
    private final Int32RowOutput int32 = new Int32RowOutput();
    private final RequantizeV128 requantize = new RequantizeV128();
    private final RequantizeFixedPointV128 fixedPoint = new RequantizeFixedPointV128();
    private final FloatOutputV128 floatOutput = new FloatOutputV128();

    /** Creates one thread's set of unbound stages. */
    public OutputStages() {
    }

    /**
     * Raw accumulators into {@code out}.
     *
     * @param out the int32 output
     * @return this thread's identity stage, bound to {@code out}
     */
    public RowOutput int32(int[] out) {
        return int32.bind(out);
    }

    /**
     * quint8 output with {@code rq}'s arithmetic (any mode).
     *
     * @param rq  the call's requantization
     * @param out the quint8 output
     * @return this thread's fixed-point stage for {@link Requantization.Mode#FIXED_POINT}, else its float-multiplier stage, bound
     */
    public RowOutput requantize(Requantization rq, byte[] out) {
        return rq.mode() == Requantization.Mode.FIXED_POINT ? fixedPoint.bind(rq, out) : requantize.bind(rq, out);
    }

    /**
     * float32 output (dynamic quantization).
     *
     * @param fo  the call's scales, bias, rounding form and ReLU
     * @param out the float32 output
     * @return this thread's float stage, bound
     */
    public RowOutput toFloat(FloatOutput fo, float[] out) {
        return floatOutput.bind(fo, out);
    }
}
