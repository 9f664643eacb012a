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

    /**
     * Starts a builder with no bias, no ReLU, the default thread count and the current engine.
     *
     * @param op the operator's name, for error messages
     */
    protected OpBuilder(String op) {
        this.op = op;
    }

    /** {@return this builder as its concrete type, for the setters to return} */
    protected abstract B self();

    /** {@return the operator's name, for error messages} */
    public String op() {
        return op;
    }

    /**
     * Sets the float32 bias, one per output channel (copied at build), or null for none.
     *
     * @param bias the bias, or null
     * @return this builder
     */
    public B bias(float[] bias) {
        this.bias = bias;
        return self();
    }

    /**
     * Fuses a ReLU into the output stage.
     *
     * @param relu whether to fuse it
     * @return this builder
     */
    public B relu(boolean relu) {
        this.relu = relu;
        return self();
    }

    /**
     * Threads for this operator; 0 (the default) follows {@link Threads#get()}.
     *
     * @param threads the thread count, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException for a negative count
     */
    public B threads(int threads) {
        this.threads = TensorChecks.threads(op, threads);
        return self();
    }

    /**
     * Sets the engine to pack for at build time (default: the current one).
     *
     * @param engine the kernel backend, or null for the current one
     * @return this builder
     */
    public B engine(KernelBackend engine) {
        this.engine = engine;
        return self();
    }

    /** {@return the bias as given (not copied), or null} */
    public float[] bias() {
        return bias;
    }

    /** {@return whether a ReLU is fused} */
    public boolean relu() {
        return relu;
    }

    /** {@return the thread count, 0 for {@link Threads#get()}} */
    public int threads() {
        return threads;
    }

    /** {@return the engine to pack for at build time: the one set, else the current one} */
    public KernelBackend engine() {
        return engine != null ? engine : QuantEngine.current();
    }
}
