package dev.vquant.quant.nn;

import java.util.SplittableRandom;

/**
 * PyTorch's default parameter initialization, from a seeded generator so a model built twice
 * with the same seeds has the same weights (PyTorch's generator and its sequence are not
 * reproduced: the distributions are). A module constructor without a seed draws one from a
 * process-wide generator set by {@link #manualSeed(long)} (like {@code torch.manual_seed}; 0 at
 * start-up).
 */
public final class Init {
    private static final SplittableRandom[] GLOBAL = {new SplittableRandom(0)};

    private Init() {
    }

    /**
     * Restarts the process-wide seed sequence (PyTorch's {@code torch.manual_seed}).
     *
     * @param seed the sequence's new start
     */
    public static void manualSeed(long seed) {
        synchronized (GLOBAL) {
            GLOBAL[0] = new SplittableRandom(seed);
        }
    }

    /** {@return the next seed of the process-wide sequence, for modules built without an explicit seed} */
    public static long nextSeed() {
        synchronized (GLOBAL) {
            return GLOBAL[0].nextLong();
        }
    }

    /**
     * Fills {@code values} from {@code U(-bound, bound)} with {@code bound = 1 / sqrt(fanIn)}: what
     * {@code kaiming_uniform_(w, a=sqrt(5))} gives Linear and Conv2d weights, and what their
     * {@code reset_parameters} gives the bias.
     *
     * @param values the array to fill
     * @param fanIn  the inputs per output (in_features, or in_channels/groups * kH * kW)
     * @param random the source of the draws
     */
    public static void kaimingUniform(float[] values, int fanIn, SplittableRandom random) {
        uniform(values, fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0.0, random);
    }

    /**
     * Fills {@code values} from {@code U(-bound, bound)}.
     *
     * @param values the array to fill
     * @param bound  the half-width of the interval
     * @param random the source of the draws
     */
    public static void uniform(float[] values, double bound, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
    }

    /**
     * Fills {@code values} from {@code N(mean, std^2)} (PyTorch's {@code nn.init.normal_}).
     *
     * @param values the array to fill
     * @param mean   the mean
     * @param std    the standard deviation
     * @param random the source of the draws
     */
    public static void normal(float[] values, double mean, double std, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (mean + std * random.nextGaussian());
        }
    }

    /**
     * Fills {@code values} from {@code N(0, 2 / fan)}: PyTorch's {@code kaiming_normal_} with the
     * ReLU gain {@code sqrt(2)} (also what the default {@code leaky_relu} with {@code a = 0} gives),
     * {@code fan} being fan-in or fan-out as the caller's {@code mode} says.
     *
     * @param values the array to fill
     * @param fan    the fan-in or fan-out
     * @param random the source of the draws
     */
    public static void kaimingNormal(float[] values, int fan, SplittableRandom random) {
        if (fan <= 0) {
            throw new IllegalArgumentException("kaimingNormal: fan must be > 0, got " + fan);
        }
        normal(values, 0.0, Math.sqrt(2.0) / Math.sqrt(fan), random);
    }
}
