package dev.vquant.bench.jmh;

import dev.vquant.bench.report.ModelEntry;
import dev.vquant.bench.report.ModelRegistry;
import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.Threads;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.util.Arrays;

/**
 * The latency side of {@link ModelsBench}'s {@code int8} vs {@code int8Reused}, measured as the
 * project measures speed: one JVM, the two forms interleaved (alternating which goes first), medians,
 * so that a shared machine's load hits both alike. Prints per model the median of each and their ratio.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/vquant.jar:bench/target/test-classes \
 *     dev.vquant.bench.jmh.ArenaLatencyMain [engine=fbgemm] [rounds=100] [warmup=150] [models=resnet18,mobilenet_v2]
 * </pre>
 */
public final class ArenaLatencyMain {
    private ArenaLatencyMain() {
    }

    /**
     * Runs the comparison.
     *
     * @param args {@code key=value} options as above
     */
    public static void main(String[] args) {
        String engine = option(args, "engine", "fbgemm");
        int rounds = Integer.parseInt(option(args, "rounds", "100"));
        int warmup = Integer.parseInt(option(args, "warmup", "150"));
        QuantEngine.set(engine);
        Threads.set(1);
        for (String name : option(args, "models", "resnet18,mobilenet_v2").split(",")) {
            ModelEntry entry = ModelRegistry.byName(name);
            Module int8 = entry.int8().quantize(entry.model().get(), engine);
            Tensor x = entry.input().get();
            OutputArena arena = new OutputArena();
            for (int i = 0; i < warmup; i++) {
                int8.forward(x);
                reused(int8, x, arena);
            }
            long[] plain = new long[rounds];
            long[] reused = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    long t0 = System.nanoTime();
                    if ((r + k) % 2 == 0) {
                        int8.forward(x);
                        plain[r] = System.nanoTime() - t0;
                    } else {
                        reused(int8, x, arena);
                        reused[r] = System.nanoTime() - t0;
                    }
                }
            }
            double p = median(plain) / 1e6;
            double q = median(reused) / 1e6;
            System.out.printf("%s %s: median int8 %.3f ms, int8Reused %.3f ms, int8Reused/int8 %.3f (%d interleaved pairs)%n",
                    name, engine, p, q, q / p, rounds);
        }
    }

    private static void reused(Module int8, Tensor x, OutputArena arena) {
        try (OutputArena.Scope s = arena.enter()) {
            int8.forward(x);
        }
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String option(String[] args, String key, String fallback) {
        for (String a : args) {
            if (a.startsWith(key + "=")) {
                return a.substring(key.length() + 1);
            }
        }
        return fallback;
    }
}
