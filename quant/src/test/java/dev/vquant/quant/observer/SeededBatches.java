package dev.vquant.quant.observer;

import dev.vquant.engine.FloatTensor;

/**
 * The batch generator of {@code tools/golden/histogram_observer_cases.py}, reproduced exactly:
 * splitmix64 from a seed, the top 24 bits of each output as {@code u} in [0, 1) ({@code "bell"}:
 * the mean of four), value {@code (float) (lo + u * (hi - lo))} in double arithmetic.
 */
final class SeededBatches {
    private SeededBatches() {
    }

    static FloatTensor batch(long seed, int n, double lo, double hi, String kind) {
        long[] state = {seed};
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            double u = "bell".equals(kind)
                    ? (unit(state) + unit(state) + unit(state) + unit(state)) / 4.0
                    : unit(state);
            data[i] = (float) (lo + u * (hi - lo));
        }
        return FloatTensor.of(data, n);
    }

    private static double unit(long[] state) {
        state[0] += 0x9E3779B97F4A7C15L;
        long z = state[0];
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) / 16777216.0;
    }
}
