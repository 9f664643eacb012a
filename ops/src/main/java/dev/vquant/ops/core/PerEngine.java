package dev.vquant.ops.core;

import dev.vquant.engine.spi.KernelBackend;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Weights packed for each engine they have run on. An operator packs for the engine current at
 * build time; running it under another engine (or another forced vector width) packs once more
 * from the original weights the operator keeps, and caches that, instead of failing as PyTorch
 * does. Thread-safe: concurrent first calls on a new engine pack at most once.
 *
 * @param <T> the packed form
 */
public final class PerEngine<T> {
    private final Function<KernelBackend, T> packer;
    private final ConcurrentHashMap<Key, T> packed = new ConcurrentHashMap<>();
    /** The last backend asked for and its weights: a forward call on the same backend finds them without a lookup. */
    private volatile Last<T> last;

    /** An engine and width: backends with the same name and width run the same packed layout. */
    private record Key(String engine, dev.vquant.engine.spi.VectorWidth width) {
    }

    private record Last<T>(KernelBackend engine, T packed) {
    }

    /**
     * Packs for {@code initial} right away (so bad weights fail at build time).
     *
     * @param initial the engine current at build time
     * @param packer  packs the original weights for an engine
     */
    public PerEngine(KernelBackend initial, Function<KernelBackend, T> packer) {
        this.packer = packer;
        get(initial);
    }

    /**
     * The weights packed for {@code engine}, packing them on first use.
     *
     * @param engine the engine a call runs on
     * @return the packed weights
     */
    public T get(KernelBackend engine) {
        Last<T> l = last;
        if (l != null && l.engine == engine) {
            return l.packed;
        }
        T t = packed.computeIfAbsent(new Key(engine.name(), engine.width()), k -> packer.apply(engine));
        last = new Last<>(engine, t);
        return t;
    }

    /** {@return the number of engines (and widths) packed for so far} */
    public int packedCount() {
        return packed.size();
    }
}
