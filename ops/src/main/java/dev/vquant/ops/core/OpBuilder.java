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
    private final String op;
    private float[] bias;
    private boolean relu;
    private int threads;
    private KernelBackend engine;

    /** @param op the operator's name, for error messages */
    protected OpBuilder(String op) {
        this.op = op;
    }

    protected abstract B self();

    /** The operator's name, for error messages. */
    public String op() {
        return op;
    }

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

    /**
     * Threads for this operator; 0 (the default) follows {@link Threads#get()}.
     *
     * @throws IllegalArgumentException for a negative count
     */
    public B threads(int threads) {
        this.threads = TensorChecks.threads(op, threads);
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
