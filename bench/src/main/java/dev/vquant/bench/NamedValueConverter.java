package dev.vquant.bench;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.function.Function;

/**
 * The value of an option that names something in a registry (an engine, a model): the registry's lookup,
 * whose IllegalArgumentException for an unknown name (listing the valid ones) becomes picocli's usage error.
 *
 * @param <T> what the name stands for
 */
public abstract class NamedValueConverter<T> implements ITypeConverter<T> {
    private final Function<String, T> lookup;

    /**
     * A converter that looks names up with {@code lookup}.
     *
     * @param lookup the registry's lookup, throwing IllegalArgumentException for an unknown name
     */
    protected NamedValueConverter(Function<String, T> lookup) {
        this.lookup = lookup;
    }

    /**
     * What {@code name} stands for.
     *
     * @param name the option's value
     * @return the registry's entry of that name
     * @throws TypeConversionException with the registry's message when it has no such name
     */
    @Override
    public final T convert(String name) {
        try {
            return lookup.apply(name);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
