package dev.vquant.ops.core;

import dev.vquant.engine.spi.KernelBackend;

/**
 * Remembers the output stage built for the last (engine, input scale) pair, since a static
 * operator usually sees the same input qparams on every call. One volatile immutable entry:
 * concurrent callers at worst build the same stage twice.
 *
 * @param <T> the output stage (a {@code Requantization}, or one per group)
 */
public final class RequantCache<T> {
    private final Factory<T> factory;
    private volatile Entry<T> last;

    private record Entry<T>(String engine, double inScale, T stage) {
    }

    /**
     * Builds a stage for (engine, input scale).
     *
     * @param <T> the output stage
     */
    @FunctionalInterface
    public interface Factory<T> {
        /**
         * Builds the output stage of one (engine, input scale) pair.
         *
         * @param engine  the engine a call runs on
         * @param inScale the input scale of the call
         * @return the output stage
         */
        T build(KernelBackend engine, double inScale);
    }

    /**
     * A cache that builds its stages with {@code factory} (given once, so that a call does not
     * allocate a method reference).
     *
     * @param factory builds the stage of an (engine, input scale) pair
     */
    public RequantCache(Factory<T> factory) {
        this.factory = factory;
    }

    /**
     * The stage for {@code engine} and {@code inScale}: the last one when both match, else a new
     * one, remembered.
     *
     * @param engine  the engine the call runs on
     * @param inScale the input scale of the call
     * @return the output stage
     */
    public T get(KernelBackend engine, double inScale) {
        Entry<T> e = last;
        if (e != null && e.inScale == inScale && e.engine.equals(engine.name())) {
            return e.stage;
        }
        T stage = factory.build(engine, inScale);
        last = new Entry<>(engine.name(), inScale, stage);
        return stage;
    }
}
