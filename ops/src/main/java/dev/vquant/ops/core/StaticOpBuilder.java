package dev.vquant.ops.core;

import dev.vquant.engine.spi.KernelBackend;

import java.util.Objects;

/**
 * The options every statically quantized operator with weights shares: bias, output qparams,
 * fused ReLU, requantization arithmetic, threads and the engine to pack for at build time.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class StaticOpBuilder<B extends StaticOpBuilder<B>> {
    private float[] bias;
    private double outScale = Double.NaN;
    private int outZeroPoint;
    private boolean relu;
    private RequantMode mode = RequantMode.ENGINE;
    private int threads;
    private KernelBackend engine;

    protected abstract B self();

    /** float32 bias, one per output channel (copied at build), or null. */
    public B bias(float[] bias) {
        this.bias = bias;
        return self();
    }

    /** quint8 output scale and zero point (required). */
    public B output(double scale, int zeroPoint) {
        this.outScale = scale;
        this.outZeroPoint = zeroPoint;
        return self();
    }

    /** Fuse a ReLU (clamp at the output zero point). */
    public B relu(boolean relu) {
        this.relu = relu;
        return self();
    }

    /** Requantization arithmetic; default {@link RequantMode#ENGINE}. */
    public B requantMode(RequantMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return self();
    }

    /** Threads for this operator; 0 (the default) follows {@link Threads#get()}. */
    public B threads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("thread count must be >= 0, got " + threads);
        }
        this.threads = threads;
        return self();
    }

    /** Engine to pack for at build time (default: the current one). */
    public B engine(KernelBackend engine) {
        this.engine = engine;
        return self();
    }

    /** The bias as given (not copied). */
    public float[] bias() {
        return bias;
    }

    public double outScale() {
        return outScale;
    }

    public int outZeroPoint() {
        return outZeroPoint;
    }

    public boolean relu() {
        return relu;
    }

    public RequantMode requantMode() {
        return mode;
    }

    public int threads() {
        return threads;
    }

    /** The engine to pack for at build time: the one set, else the current one. */
    public KernelBackend engine() {
        return engine != null ? engine : dev.vquant.engine.QuantEngine.current();
    }
}
