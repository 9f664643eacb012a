package dev.vquant.bench;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The value of a {@code --threads N} option: an intra-op thread count from 1 to {@value #MAX}. */
public final class ThreadCountConverter implements ITypeConverter<Integer> {
    /** The largest thread count accepted: more than any machine this runs on, less than a typo like 10000. */
    public static final int MAX = 1024;

    /** Created by picocli for each option that names it. */
    public ThreadCountConverter() {
    }

    /**
     * The thread count written {@code value}.
     *
     * @param value the option's value
     * @return the count, 1 to {@value #MAX}
     * @throws TypeConversionException when {@code value} is not such an integer
     */
    @Override
    public Integer convert(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, as for an out-of-range count
        }
        throw new TypeConversionException("a thread count is a positive integer up to " + MAX + ", got '" + value + "'");
    }
}
