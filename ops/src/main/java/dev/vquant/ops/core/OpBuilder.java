package dev.vquant.ops.core;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

/**
 * Options every operator with weights shares: bias, fused ReLU, threads and the engine to pack
 * for at build time.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class OpBuilder<B extends OpBuilder<B>> {
    private float[] bias;
    private boolean relu;
    private int threads;
    private KernelBackend engine;

    protected abstract B self();

    /** float32 bias, one per output channel (copied at build), or null. */
    public B bias(float[] bias) {
        this.bias = bias;
        return self();
    }

    /** Fuse a ReLU. */
    public B relu(boolean relu) {
        this.relu = relu;
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

    public boolean relu() {
        return relu;
    }

    public int threads() {
        return threads;
    }

    /** The engine to pack for at build time: the one set, else the current one. */
    public KernelBackend engine() {
        return engine != null ? engine : QuantEngine.current();
    }
}
