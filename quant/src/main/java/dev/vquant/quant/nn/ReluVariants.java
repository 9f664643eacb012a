package dev.vquant.quant.nn;

import java.util.function.Function;

/**
 * The two operators of a layer that can end in a fused ReLU (Linear, Conv2d): each built on first
 * use and rebuilt when the parameters change ({@link OperatorCache}). Immutable, so a module keeps
 * it in one volatile field and a {@link Module#deepCopy() copy} never shares a cache slot.
 *
 * @param <T> the operator type
 */
final class ReluVariants<T> {
    private final OperatorCache<T> plain;
    private final OperatorCache<T> relu;

    private ReluVariants(OperatorCache<T> plain, OperatorCache<T> relu) {
        this.plain = plain;
        this.relu = relu;
    }

    static <T> ReluVariants<T> empty() {
        return new ReluVariants<>(null, null);
    }

    /** These variants with the one asked for current for {@code sources} ({@code build.apply(withRelu)} when not). */
    ReluVariants<T> refresh(boolean withRelu, Function<Boolean, T> build, Parameter... sources) {
        OperatorCache<T> old = withRelu ? relu : plain;
        OperatorCache<T> now = OperatorCache.refresh(old, () -> build.apply(withRelu), sources);
        if (now == old) {
            return this;
        }
        return withRelu ? new ReluVariants<>(plain, now) : new ReluVariants<>(now, relu);
    }

    /** The operator with or without the fused ReLU (after {@link #refresh}). */
    T operator(boolean withRelu) {
        return (withRelu ? relu : plain).operator();
    }
}
