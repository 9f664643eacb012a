package dev.vquant.quant.models.vision;

import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.core.Threads;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.mobilenet.MobileNetV2;
import dev.vquant.quant.models.resnet.ResNet;
import dev.vquant.quant.nn.Module;

import dev.vquant.quant.nn.Functional;
import dev.vquant.quant.nn.intrinsic.FusedModule;
import jdk.jfr.Recording;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A measuring harness, not a test: float vs int8 latency of the torchvision models at batch 1 in
 * one JVM, float and int8 forwards interleaved, medians. The models get torchvision's seeded
 * initialisation and batch-norm statistics fitted on 4 synthetic images (realistic activation
 * scales); the float model is the fused one (BN folded: vquant's fastest float); the int8 model
 * is calibrated on 2 synthetic images with {@code QConfig.defaultFor(engine)}. With one thread
 * (the default) it also prints the medians of the thread's CPU time, which on a shared machine
 * leave out the time other processes held the core.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... dev.vquant.quant.models.vision.VisionLatencyMain \
 *     [engine=fbgemm] [size=224] [rounds=15] [warmup=30] [threads=1] [models=resnet18,mobilenet_v2,resnet50] [layers=true] [profile=FILE.jfr]
 * </pre>
 */
public final class VisionLatencyMain {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private VisionLatencyMain() {
    }

    /**
     * Prints one line per model (medians, ratio, weight bytes) and, with {@code layers=true}, the
     * milliseconds per layer kind and the six slowest layers of each model.
     */
    public static void main(String[] args) throws IOException, java.text.ParseException {
        String engine = "fbgemm";
        int size = 224;
        int rounds = 15;
        int warmup = 30;
        int threads = 1;
        List<String> models = List.of("resnet18", "mobilenet_v2", "resnet50");
        boolean layers = false;
        String profile = null;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "engine" -> engine = kv[1];
                case "size" -> size = Integer.parseInt(kv[1]);
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                case "warmup" -> warmup = Integer.parseInt(kv[1]);
                case "threads" -> threads = Integer.parseInt(kv[1]);
                case "models" -> models = List.of(kv[1].split(","));
                case "layers" -> layers = Boolean.parseBoolean(kv[1]);
                case "profile" -> profile = kv[1];
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        QuantEngine.set(engine);
        Threads.set(threads);
        for (String name : models) {
            Module model = switch (name) {
                case "resnet18" -> ResNet.resnet18(1000, 1);
                case "resnet50" -> ResNet.resnet50(1000, 1);
                case "mobilenet_v2" -> MobileNetV2.mobilenetV2(1000, 1.0, 1);
                default -> throw new IllegalArgumentException(name);
            };
            SyntheticCalibration.fitBatchNormStatistics(model, SyntheticCalibration.images(7, 4, size));
            model.eval();
            long t0 = System.nanoTime();
            Module int8 = SyntheticCalibration.quantizeStatic((Module & QuantizableModel) model, engine, 2, size, 1);
            long t1 = System.nanoTime();
            ((QuantizableModel) model).fuseModel();
            Tensor x = SyntheticCalibration.images(9, 1, size).get(0);
            for (int i = 0; i < warmup; i++) { // enough for C2 to compile rarely taken paths (channel tails) on a loaded machine
                model.forward(x);
                int8.forward(x);
            }
            Recording recording = null;
            if (profile != null) {
                recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                recording.start();
            }
            double[] f = new double[rounds];
            double[] q = new double[rounds];
            double[] fCpu = new double[rounds];
            double[] qCpu = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long ca = CPU.getCurrentThreadCpuTime();
                long a = System.nanoTime();
                model.forward(x);
                long b = System.nanoTime();
                long cb = CPU.getCurrentThreadCpuTime();
                int8.forward(x);
                long c = System.nanoTime();
                long cc = CPU.getCurrentThreadCpuTime();
                f[r] = (b - a) / 1e6;
                q[r] = (c - b) / 1e6;
                fCpu[r] = (cb - ca) / 1e6;
                qCpu[r] = (cc - cb) / 1e6;
            }
            if (recording != null) {
                recording.stop();
                recording.dump(Path.of(profile));
            }
            double fm = median(f);
            double qm = median(q);
            System.out.printf("%s %s %dx%d threads %d: float %.2f ms, int8 %.2f ms, float/int8 %.2fx (median of %d interleaved; "
                            + "weights float %d B, int8 %d B; quantizeStatic %.1f s)%n", name, engine, size, size, threads, fm, qm,
                    fm / qm, rounds, ModelSize.weightBytes(model), ModelSize.weightBytes(int8), (t1 - t0) / 1e9);
            if (threads == 1) { // the thread's CPU time leaves out the time other processes took the core
                System.out.printf("  thread CPU time: float %.2f ms, int8 %.2f ms, float/int8 %.2fx%n", median(fCpu), median(qCpu),
                        median(fCpu) / median(qCpu));
            }
            if (layers) {
                System.out.println("  float: " + layerTimes(model, x, rounds));
                System.out.println("  int8:  " + layerTimes(int8, x, rounds));
            }
        }
    }

    /**
     * Wraps every leaf module (but functionals) and every fused module (as one) in a timer, runs
     * the model, and sums the thread CPU milliseconds per kind (one thread: see the class comment).
     */
    private static Map<String, String> layerTimes(Module model, Tensor x, int rounds) {
        Module m = model.deepCopy();
        Map<String, long[]> nanos = new LinkedHashMap<>();
        Map<String, long[]> perModule = new LinkedHashMap<>();
        List<String> fused = new java.util.ArrayList<>();
        for (Map.Entry<String, Module> e : new LinkedHashMap<>(m.namedModules()).entrySet()) {
            Module mod = e.getValue();
            String name = e.getKey();
            if (fused.stream().anyMatch(f -> name.startsWith(f + "."))) {
                continue;
            }
            boolean isFused = mod instanceof FusedModule;
            if (isFused) {
                fused.add(name);
            }
            if (!name.isEmpty() && (isFused || mod.namedChildren().isEmpty()) && !(mod instanceof Functional)) {
                m.setSubmodule(e.getKey(), new Timed(mod, nanos.computeIfAbsent(kind(mod), k -> new long[1]),
                        perModule.computeIfAbsent(name + " " + mod, k -> new long[1])));
            }
        }
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            if (r == 1) {
                nanos.values().forEach(v -> v[0] = 0);
                perModule.values().forEach(v -> v[0] = 0);
                total = 0;
            }
            long a = CPU.getCurrentThreadCpuTime();
            m.forward(x);
            total += CPU.getCurrentThreadCpuTime() - a;
        }
        Map<String, String> out = new TreeMap<>();
        long timed = 0;
        for (Map.Entry<String, long[]> e : nanos.entrySet()) {
            timed += e.getValue()[0];
            out.put(e.getKey(), String.format("%.2f", e.getValue()[0] / 1e6 / (rounds - 1)));
        }
 perModule.entrySet().stream().sorted((p, q) -> Long.compare(q.getValue()[0], p.getValue()[0])).limit(6)
                .forEach(e -> System.out.printf("    %.2f ms %s%n", e.getValue()[0] / 1e6 / (rounds - 1), e.getKey()));
        out.put("(total)", String.format("%.2f", total / 1e6 / (rounds - 1)));
        out.put("(functionals and glue)", String.format("%.2f", (total - timed) / 1e6 / (rounds - 1)));
        return out;
    }

    private static String kind(Module mod) {
        String s = mod.toString();
        int paren = s.indexOf('(');
        String type = paren < 0 ? s : s.substring(0, paren);
        if (s.contains("kernel_size=(1, 1)")) {
            return type + " 1x1";
        }
        if (s.contains("groups=")) {
            return type + " depthwise";
        }
        if (s.contains("kernel_size=(3, 3)")) {
            return type + " 3x3";
        }
        return s.contains("kernel_size=(7, 7)") ? type + " 7x7" : type;
    }

    /** A leaf module that adds the time of each forward to a counter. */
    private static final class Timed extends Module {
        private final Module inner;
        private final long[] counter;

        private final long[] own;

        Timed(Module inner, long[] counter, long[] own) {
            this.inner = inner;
            this.counter = counter;
            this.own = own;
        }

        @Override
        public Tensor forward(Tensor x) {
            long a = CPU.getCurrentThreadCpuTime();
            Tensor y = inner.forward(x);
            long t = CPU.getCurrentThreadCpuTime() - a;
            counter[0] += t;
            own[0] += t;
            return y;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
