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
    private final ConcurrentHashMap<String, T> packed = new ConcurrentHashMap<>();

    /** Packs for {@code initial} right away (so bad weights fail at build time). */
    public PerEngine(KernelBackend initial, Function<KernelBackend, T> packer) {
        this.packer = packer;
        get(initial);
    }

    /** The weights packed for {@code engine}, packing them on first use. */
    public T get(KernelBackend engine) {
        String key = engine.name() + "/" + engine.width();
        T t = packed.get(key);
        return t != null ? t : packed.computeIfAbsent(key, k -> packer.apply(engine));
    }

    /** Number of engines packed for so far. */
    public int packedCount() {
        return packed.size();
    }
}
