package dev.vquant.ops.core;

/**
 * Options of statically quantized operators with weights: {@link OpBuilder}'s plus the quint8
 * output qparams and the requantization arithmetic. A fused ReLU clamps at the output zero point.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class StaticOpBuilder<B extends StaticOpBuilder<B>> extends OpBuilder<B> {
    private double outScale = Double.NaN;
    private int outZeroPoint;
    private boolean outputSet;
    private RequantMode mode = RequantMode.ENGINE;

    /**
     * Starts a builder with no output qparams and {@link RequantMode#ENGINE}.
     *
     * @param op the operator's name, for error messages
     */
    protected StaticOpBuilder(String op) {
        super(op);
    }

    /**
     * Sets the quint8 output scale and zero point (required; checked at build).
     *
     * @param scale     the output scale
     * @param zeroPoint the output zero point, in [0, 255]
     * @return this builder
     */
    public B output(double scale, int zeroPoint) {
        this.outScale = scale;
        this.outZeroPoint = zeroPoint;
        this.outputSet = true;
        return self();
    }

    /**
     * Requantization arithmetic; default {@link RequantMode#ENGINE}.
     *
     * @param mode the arithmetic
     * @return this builder
     * @throws IllegalArgumentException for null
     */
    public B requantMode(RequantMode mode) {
        this.mode = TensorChecks.notNull(op(), "requantization mode", mode);
        return self();
    }

    /** {@return whether {@link #output} was called (the output qparams have no default)} */
    public boolean hasOutput() {
        return outputSet;
    }

    /** {@return the output scale given to {@link #output} (NaN before)} */
    public double outScale() {
        return outScale;
    }

    /** {@return the output zero point given to {@link #output}} */
    public int outZeroPoint() {
        return outZeroPoint;
    }

    /** {@return the requantization arithmetic} */
    public RequantMode requantMode() {
        return mode;
    }
}
