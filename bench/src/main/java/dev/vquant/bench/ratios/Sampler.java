package dev.vquant.bench.ratios;

import dev.vquant.bench.workload.Workload;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Times two runs doing the same job in the same JVM, interleaved: warm both up, size each
 * sample to a fixed duration, then alternate the two sides' samples (swapping which goes first
 * each round, so drift and neighbours' load hit both sides alike) and take medians. The ratio
 * runner's sides are a workload's float and int8 runs; {@code vquant peers} times vquant against
 * another library.
 */
public final class Sampler {
    private static final int MAX_WARMUP_SECONDS = 30;
    /** Total JIT compilation time tells whether compilation is still going on; null if unsupported. */
    private static final CompilationMXBean JIT = jitBean();

    private final long warmupNs;
    private final long sampleNs;
    private final int rounds;
    private final int minWarmupCalls;
    private final long quietNs;

    /**
     * {@code quick}: short warm-up, 5 ms samples and 5 rounds instead of 20 ms and 15.
     *
     * @param quick the short mode
     */
    public Sampler(boolean quick) {
        this.warmupNs = quick ? 200_000_000L : 1_500_000_000L;
        this.sampleNs = quick ? 5_000_000L : 20_000_000L;
        this.rounds = quick ? 5 : 15;
        this.minWarmupCalls = quick ? 40 : 300;
        this.quietNs = quick ? 300_000_000L : 1_500_000_000L;
    }

    /** Median milliseconds per call of each side: {float, int8} (float NaN when there is none). */
    double[] measure(Workload w) {
        return measure(w.hasFloat() ? w::runFloat : null, w::runInt8);
    }

    /**
     * Median milliseconds per call of each side, {@code {first, second}}; {@code first} may be
     * null (then its median is NaN and only {@code second} is timed).
     *
     * @param first one call of the first side, or null
     * @param second one call of the second side
     * @return the two medians, ms per call
     */
    public double[] measure(Runnable first, Runnable second) {
        boolean withFirst = first != null;
        double fCall = withFirst ? warm(first) : Double.NaN;
        double sCall = warm(second);
        int fReps = withFirst ? reps(fCall) : 0;
        int sReps = reps(sCall);
        double[] f = new double[rounds];
        double[] s = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            boolean firstFirst = (r & 1) == 0;
            if (withFirst && firstFirst) {
                f[r] = sample(first, fReps);
            }
            s[r] = sample(second, sReps);
            if (withFirst && !firstFirst) {
                f[r] = sample(first, fReps);
            }
        }
        return new double[] {withFirst ? median(f) / 1e6 : Double.NaN, median(s) / 1e6};
    }

    /**
     * Runs one side until the JIT has settled and returns its ns per call. Vector API code is
     * 100-1000x slower until C2 has compiled it, and compiling takes seconds on a busy machine,
     * so a fixed warm-up time is not enough. C2 compiles a method after some hundreds of calls
     * (fewer with the runner's {@code -XX:CompileThresholdScaling}), and until then the profiled C1
     * code can look "stable": so warm at least a minimum number of calls and the minimum
     * time, then keep going in batches until neither has the best batch time improved by more
     * than 3% nor has the JIT finished a compilation for a quiet period (0.3 s quick, 1.5 s
     * otherwise; at most {@value #MAX_WARMUP_SECONDS} s in all): on a loaded machine C2's queue
     * can hold a kernel back for seconds while the C1 code looks stable.
     */
    private double warm(Runnable side) {
        long start = System.nanoTime();
        double best = Double.MAX_VALUE;
        long totalCalls = 0;
        long lastCompiled = JIT == null ? 0 : JIT.getTotalCompilationTime();
        long lastChange = start;
        long batchNs = Math.max(sampleNs / 2, 1_000_000L);
        while (true) {
            long t0 = System.nanoTime();
            long calls = 0;
            do {
                side.run();
                calls++;
            } while (System.nanoTime() - t0 < batchNs);
            long now = System.nanoTime();
            totalCalls += calls;
            double perCall = (double) (now - t0) / calls;
            long compiled = JIT == null ? 0 : JIT.getTotalCompilationTime();
            if (perCall < best * 0.97 || compiled != lastCompiled) {
                lastChange = now;
            }
            lastCompiled = compiled;
            best = Math.min(best, perCall);
            if (now - start > MAX_WARMUP_SECONDS * 1_000_000_000L
                    || (now - start > warmupNs && totalCalls >= minWarmupCalls && now - lastChange > quietNs)) {
                return best;
            }
        }
    }

    private static CompilationMXBean jitBean() {
        CompilationMXBean b = ManagementFactory.getCompilationMXBean();
        return b != null && b.isCompilationTimeMonitoringSupported() ? b : null;
    }

    private int reps(double nsPerCall) {
        return (int) Math.max(1, Math.min(1_000_000, Math.round(sampleNs / nsPerCall)));
    }

    private static double sample(Runnable side, int reps) {
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            side.run();
        }
        return (double) (System.nanoTime() - t0) / reps;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return (n & 1) == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
