package dev.vquant.engine.testing;

import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.Requantization;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The output stages a quantized kernel tester runs: every {@link Requantization} mode (fbgemm,
 * qnnpack, fixed point) with and without ReLU, with random scales and with power-of-two scales
 * (whose multipliers make exact .5 ties, so half-to-even rounding is really exercised), with and
 * without bias; and {@link FloatOutput} fused and unfused, with and without ReLU and bias.
 *
 * <p>Scales are derived from the largest accumulator magnitude so outputs spread over the quint8
 * range and also clamp at both ends.
 */
final class RequantizationCases {
    private RequantizationCases() {
    }

    /** A named output stage. */
    record Case<S>(String name, S stage) {
    }

    /** Scales of one case: activation, weights (1 or channels), output. */
    private record Scales(String kind, double in, double[] weights, double out) {
    }

    /**
     * @param tieAcc one accumulator per channel that the kernel really produces (e.g. a random
     *               row of that output column); the power-of-two case biases channel {@code j}
     *               so that {@code tieAcc[j]} lands exactly on {@code t + 0.5}, so every run has
     *               exact ties in the unclamped range, in every mode
     */
    static List<Case<Requantization>> requantizations(SplittableRandom rng, int channels, boolean perChannel, long maxAbsAcc,
                                                      int[] tieAcc) {
        List<Case<Requantization>> cases = new ArrayList<>();
        Scales random = randomScales(rng, channels, perChannel, maxAbsAcc);
        Scales powerOfTwo = powerOfTwoScales(rng, channels, perChannel, maxAbsAcc);
        addModes(cases, random, bias(rng, random, channels, maxAbsAcc), ", bias", channels, rng.nextInt(256));
        addModes(cases, random, null, ", no bias", channels, rng.nextInt(256));
        addModes(cases, powerOfTwo, tieBias(rng, powerOfTwo, tieAcc), ", bias making exact ties", channels, 128);
        addModes(cases, powerOfTwo, null, ", no bias", channels, rng.nextInt(256));
        return cases;
    }

    private static void addModes(List<Case<Requantization>> cases, Scales s, float[] bias, String biasNote, int channels, int zp) {
        for (boolean relu : new boolean[] {false, true}) {
            String name = s.kind + " scales (in " + s.in + ", out " + s.out + "), zOut " + zp + biasNote + (relu ? ", relu" : "");
            cases.add(new Case<>("fbgemm " + name, Requantization.fbgemm(s.in, s.weights, bias, s.out, zp, relu, channels)));
            cases.add(new Case<>("qnnpack " + name, Requantization.qnnpack(s.in, s.weights, bias, s.out, zp, relu, channels)));
            cases.add(new Case<>("fixedPoint " + name, Requantization.fixedPoint(s.in, s.weights, bias, s.out, zp, relu, channels)));
        }
    }

    /**
     * With power-of-two scales the multiplier of channel j is {@code 2^-E}; the bias (in units of
     * {@code in * w[j]}) {@code -tieAcc[j] + (2t + 1) * 2^(E-1)} makes {@code (tieAcc[j] + bias) * 2^-E
     * = t + 0.5} exactly, for a small random {@code t} (so the output is not clamped).
     */
    private static float[] tieBias(SplittableRandom rng, Scales s, int[] tieAcc) {
        float[] bias = new float[tieAcc.length];
        for (int j = 0; j < tieAcc.length; j++) {
            double unit = s.in * s.weights[s.weights.length == 1 ? 0 : j];
            int e = -Math.getExponent(unit / s.out);
            long units = -(long) tieAcc[j] + (2L * rng.nextInt(-100, 101) + 1) * (1L << (e - 1));
            if (Math.abs(units) >= 1 << 23) {
                units = rng.nextInt(-1000, 1001); // too large to stay exact in float32: an ordinary bias
            }
            bias[j] = (float) (units * unit);
        }
        return bias;
    }

    static List<Case<FloatOutput>> floatOutputs(SplittableRandom rng, int channels, boolean perChannel, long maxAbsAcc) {
        List<Case<FloatOutput>> cases = new ArrayList<>();
        Scales s = randomScales(rng, channels, perChannel, maxAbsAcc);
        float[] bias = bias(rng, s, channels, maxAbsAcc);
        for (boolean fused : new boolean[] {true, false}) {
            for (boolean relu : new boolean[] {false, true}) {
                String name = (fused ? "fused" : "unfused") + " float output (in " + s.in + "), bias" + (relu ? ", relu" : "");
                cases.add(new Case<>(name, FloatOutput.of(s.in, s.weights, bias, fused, relu, channels)));
            }
            cases.add(new Case<>((fused ? "fused" : "unfused") + " float output, no bias",
                    FloatOutput.of(s.in, s.weights, null, fused, false, channels)));
        }
        return cases;
    }

    /** Log-uniform scales; output scale such that the largest accumulator maps near 160 and every multiplier is < 1. */
    private static Scales randomScales(SplittableRandom rng, int channels, boolean perChannel, long maxAbsAcc) {
        double in = Math.scalb(1 + rng.nextDouble(), -4 - rng.nextInt(7));
        double[] w = new double[perChannel ? channels : 1];
        double maxW = 0;
        double sumW = 0;
        for (int j = 0; j < w.length; j++) {
            w[j] = Math.scalb(1 + rng.nextDouble(), -5 - rng.nextInt(6));
            maxW = Math.max(maxW, w[j]);
            sumW += w[j];
        }
        double out = Math.max(in * maxW / 0.9, in * (sumW / w.length) * Math.max(1, maxAbsAcc) / 160);
        return new Scales("random", in, w, out);
    }

    /** Powers of two: float multipliers are exact powers of two, so many products land exactly on .5. */
    private static Scales powerOfTwoScales(SplittableRandom rng, int channels, boolean perChannel, long maxAbsAcc) {
        int a = 4 + rng.nextInt(7);
        double[] w = new double[perChannel ? channels : 1];
        int bMin = Integer.MAX_VALUE;
        int[] b = new int[w.length];
        for (int j = 0; j < w.length; j++) {
            b[j] = 5 + rng.nextInt(6);
            bMin = Math.min(bMin, b[j]);
            w[j] = Math.scalb(1.0, -b[j]);
        }
        // largest multiplier 2^e <= 1/2 with 2^e * maxAbsAcc near 160
        int e = Math.max(-25, Math.min(-1, (int) Math.floor(Math.log(160.0 / Math.max(1, maxAbsAcc)) / Math.log(2))));
        return new Scales("power-of-two", Math.scalb(1.0, -a), w, Math.scalb(1.0, -(a + bMin + e)));
    }

    /** A random bias of the size of the accumulators. */
    private static float[] bias(SplittableRandom rng, Scales s, int channels, long maxAbsAcc) {
        float[] bias = new float[channels];
        for (int j = 0; j < channels; j++) {
            double unit = s.in * s.weights[s.weights.length == 1 ? 0 : j];
            bias[j] = (float) ((rng.nextDouble() * 2 - 1) * Math.max(1, maxAbsAcc) * unit);
        }
        return bias;
    }
}
