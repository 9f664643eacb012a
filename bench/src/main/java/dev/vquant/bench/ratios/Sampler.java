package dev.vquant.bench.ratios;

import dev.vquant.bench.workload.Workload;

import java.util.Arrays;

/**
 * Times a workload's float and int8 runs in the same JVM, interleaved: warm both up, size each
 * sample to a fixed duration, then alternate float and int8 samples (swapping which goes first
 * each round, so drift and neighbours' load hit both sides alike) and take medians.
 */
final class Sampler {
    private final long warmupNs;
    private final long sampleNs;
    private final int rounds;

    Sampler(boolean quick) {
        this.warmupNs = quick ? 400_000_000L : 1_500_000_000L;
        this.sampleNs = quick ? 8_000_000L : 20_000_000L;
        this.rounds = quick ? 7 : 15;
    }

    /** Median milliseconds per call of each side: {float, int8} (float NaN when there is none). */
    double[] measure(Workload w) {
        boolean withFloat = w.hasFloat();
        double fCall = withFloat ? warm(w, true) : Double.NaN;
        double qCall = warm(w, false);
        int fReps = withFloat ? reps(fCall) : 0;
        int qReps = reps(qCall);
        double[] f = new double[rounds];
        double[] q = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            boolean floatFirst = (r & 1) == 0;
            if (withFloat && floatFirst) {
                f[r] = sample(w, true, fReps);
            }
            q[r] = sample(w, false, qReps);
            if (withFloat && !floatFirst) {
                f[r] = sample(w, true, fReps);
            }
        }
        return new double[] {withFloat ? median(f) / 1e6 : Double.NaN, median(q) / 1e6};
    }

    /** Runs one side for the warm-up time (at least 5 calls) and returns its ns per call at the end. */
    private double warm(Workload w, boolean floatSide) {
        long start = System.nanoTime();
        long calls = 0;
        long last = 0;
        while (calls < 5 || System.nanoTime() - start < warmupNs) {
            long t0 = System.nanoTime();
            run(w, floatSide);
            last = System.nanoTime() - t0;
            calls++;
        }
        return Math.max(1, last);
    }

    private int reps(double nsPerCall) {
        return (int) Math.max(1, Math.min(1_000_000, Math.round(sampleNs / nsPerCall)));
    }

    private static double sample(Workload w, boolean floatSide, int reps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            run(w, floatSide);
        }
        return (double) (System.nanoTime() - t0) / reps;
    }

    private static void run(Workload w, boolean floatSide) {
        if (floatSide) {
            w.runFloat();
        } else {
            w.runInt8();
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return (n & 1) == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
