package dev.vquant.quant.nn;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An operator built from some {@link Parameter}s (weights packed for an engine), remembered with
 * the parameters' identities and {@link Parameter#version() versions} so it is built once and
 * rebuilt only when one of them changed or was replaced (a {@link Module#deepCopy() copy} has its
 * own parameters). Immutable: a module keeps the current one in a volatile field,
 * <pre>{@code
 * cache = OperatorCache.refresh(cache, this::newOperator, weight, bias);
 * return cache.operator();
 * }</pre>
 * so concurrent forwards in eval mode see a complete operator (at worst two build the same one).
 *
 * @param <T> the operator type
 */
public final class OperatorCache<T> {
    private final T operator;
    private final Parameter[] sources;
    private final long[] versions;

    private OperatorCache(T operator, Parameter[] sources, long[] versions) {
        this.operator = operator;
        this.sources = sources;
        this.versions = versions;
    }

    /**
     * {@code cache} when it was built from exactly {@code sources} at their current versions, else
     * a new cache around {@code build.get()} (versions read before building, so a change during
     * the build is seen next time). Null sources (an absent bias) are allowed.
     *
     * @param <T>     the operator type
     * @param cache   the current cache, or null before the first build
     * @param build   builds the operator from the sources' current values
     * @param sources the parameters the operator is built from (null entries allowed)
     * @return {@code cache}, or a new cache
     */
    public static <T> OperatorCache<T> refresh(OperatorCache<T> cache, Supplier<T> build, Parameter... sources) {
        Objects.requireNonNull(build, "build");
        if (cache != null && cache.isCurrent(sources)) {
            return cache;
        }
        long[] v = versionsOf(sources);
        return new OperatorCache<>(Objects.requireNonNull(build.get(), "built operator"), sources.clone(), v);
    }

    /**
     * Whether {@code cache} was built from exactly {@code a} and {@code b} (either may be null) at
     * their current versions: {@link #refresh}'s test without its varargs array, for a forward
     * that allocates nothing in steady state
     * ({@code if (!OperatorCache.isCurrent(cache, w, b)) cache = OperatorCache.refresh(...)}).
     *
     * @param cache the current cache, or null
     * @param a     the first source parameter, or null
     * @param b     the second source parameter, or null
     * @return true when {@link #refresh} would return {@code cache} for sources {@code a, b}
     */
    public static boolean isCurrent(OperatorCache<?> cache, Parameter a, Parameter b) {
        return cache != null && cache.sources.length == 2 && cache.sources[0] == a && cache.sources[1] == b
                && cache.versions[0] == (a == null ? -1 : a.version()) && cache.versions[1] == (b == null ? -1 : b.version());
    }

    /**
     * Whether {@code cache} was built from exactly {@code a} (null allowed) at its current version,
     * as {@link #isCurrent(OperatorCache, Parameter, Parameter)} for one source.
     *
     * @param cache the current cache, or null
     * @param a     the source parameter, or null
     * @return true when {@link #refresh} would return {@code cache} for source {@code a}
     */
    public static boolean isCurrent(OperatorCache<?> cache, Parameter a) {
        return cache != null && cache.sources.length == 1 && cache.sources[0] == a
                && cache.versions[0] == (a == null ? -1 : a.version());
    }

    /** {@return the operator} */
    public T operator() {
        return operator;
    }

    private boolean isCurrent(Parameter[] now) {
        if (now.length != sources.length) {
            return false;
        }
        for (int i = 0; i < now.length; i++) {
            if (now[i] != sources[i]) {
                return false;
            }
        }
        return Arrays.equals(versions, versionsOf(now));
    }

    private static long[] versionsOf(Parameter[] ps) {
        long[] v = new long[ps.length];
        for (int i = 0; i < ps.length; i++) {
            v[i] = ps[i] == null ? -1 : ps[i].version();
        }
        return v;
    }
}
