package dev.vquant.quant.observer;

import java.util.function.Supplier;

/**
 * Makes observers: PyTorch's {@code Observer.with_args(...)}, the form a qconfig holds. Every call
 * of {@link #get()} returns a fresh observer that has seen nothing, with the same configuration.
 * Builders give one with {@code factory()}; any {@code Supplier<Observer>} can be adapted with
 * {@link #of}.
 */
@FunctionalInterface
public interface ObserverFactory extends Supplier<Observer> {

    /** A new observer that has seen nothing. */
    @Override
    Observer get();

    /**
     * Adapts a supplier (for example {@code () -> new MyObserver()}).
     *
     * @param supplier makes a new observer on each call
     * @return a factory calling {@code supplier}
     * @throws IllegalArgumentException when {@code supplier} is null
     */
    static ObserverFactory of(Supplier<? extends Observer> supplier) {
        if (supplier == null) {
            throw new IllegalArgumentException("observer supplier must not be null");
        }
        return () -> {
            Observer o = supplier.get();
            if (o == null) {
                throw new IllegalStateException("observer supplier " + supplier + " returned null");
            }
            return o;
        };
    }
}
