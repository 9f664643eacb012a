package dev.vquant.engine.testing;

/**
 * How often generated int8 data takes its extreme values (activations 0 and their maximum,
 * weights -128 and 127, and, for {@link #ONLY}, zero points at their extremes too unless set).
 */
public enum Extremes {
    /** Uniform random values. */
    NONE,
    /** Each element is an extreme with probability 1/2: mixes overflow-prone runs with ordinary ones. */
    MIXED,
    /** Every element is an extreme: the largest accumulators the API allows. */
    ONLY
}
