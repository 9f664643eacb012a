package dev.vquant.bench.report;

import dev.vquant.bench.ratios.ChildJvm;
import dev.vquant.bench.ratios.Sampler;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.Threads;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.ModelSize;
import dev.vquant.quant.nn.Module;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures registered models: per engine, the float and the int8 model of an entry on the same
 * input, timed by the ratio runner's {@link Sampler} (warm-up until the JIT settles, then the two
 * sides' samples interleaved, medians), at each thread count ({@link Threads#set}).
 * Always the sampler's full mode: whole models need its minimum warm-up calls before C2 has
 * compiled them (its quick mode measured a batch-1 MNIST CNN at 30 ms instead of 0.4 ms under load).
 *
 * <p>{@link #measure} gives each engine a JVM of its own ({@link ChildJvm}, this class's
 * {@link #main}): the Vector API's vector classes of every width share their abstract classes'
 * bytecode and so its type profiles, and after one engine's kernels have run, another engine's
 * int8 GEMM can be compiled into the Vector API's boxed fallback (measured: fbgemm's GEMM after
 * qnnpack's in one JVM at 0.2-0.4x of its float instead of 1-2x). A server runs one engine.
 */
public final class ModelBench {

    /** A measurer; its one field only keeps the last outputs reachable. */
    public ModelBench() {
    }

    /** Keeps the last outputs reachable, so the JIT cannot drop a forward. */
    private volatile Object sink;

    /**
     * How many rows {@link #measure} hands over for these arguments.
     *
     * @param models the models
     * @param engines the engine names
     * @param threads the thread counts
     * @return the product of the three sizes
     */
    public static int rowCount(List<ModelEntry> models, List<String> engines, List<Integer> threads) {
        return models.size() * engines.size() * threads.size();
    }

    /**
     * Measures every model on every engine at every thread count, one child JVM per engine, handing
     * each row to {@code rows} as it is known.
     *
     * @param models the models to measure
     * @param engines the names of the vquant engines
     * @param threads the thread counts
     * @param rows receives each row as soon as it is measured
     * @return every row, in measurement order
     * @throws IOException when a child JVM cannot be started or read
     * @throws InterruptedException when interrupted while waiting for one
     * @throws IllegalStateException when a child JVM fails
     */
    public List<ModelRow> measure(List<ModelEntry> models, List<String> engines, List<Integer> threads, Consumer<ModelRow> rows)
            throws IOException, InterruptedException {
        List<ModelRow> out = new ArrayList<>();
        for (String engine : engines) {
            List<String> args = new ArrayList<>();
            args.add(engine);
            args.add(String.join(",", models.stream().map(ModelEntry::name).toList()));
            args.add(String.join(",", threads.stream().map(String::valueOf).toList()));
            int status = ChildJvm.run(ModelBench.class, List.of(), args, line -> {
                if (line.startsWith(ROW)) {
                    ModelRow row = parse(line.substring(ROW.length()));
                    out.add(row);
                    rows.accept(row);
                }
            });
            if (status != 0) {
                throw new IllegalStateException("measuring the models on " + engine + ": child JVM exited with " + status);
            }
        }
        return out;
    }

    /**
     * Measures every model on one engine at every thread count in this JVM, handing each row to
     * {@code rows} as it is known; the current engine and the default thread count are restored.
     *
     * @param models the models to measure
     * @param engine the name of the vquant engine
     * @param threads the thread counts
     * @param rows receives each row as soon as it is measured
     */
    public void measureHere(List<ModelEntry> models, String engine, List<Integer> threads, Consumer<ModelRow> rows) {
        String engineBefore = QuantEngine.get();
        int threadsBefore = Threads.get();
        try {
            QuantEngine.set(engine);
            KernelBackend backend = QuantEngine.current();
            for (ModelEntry entry : models) {
                Module trained = entry.model().get();
                Module floatModel = entry.inference().apply(trained);
                Tensor x = entry.input().get();
                long floatBytes = ModelSize.weightBytes(trained);
                Module int8 = entry.int8().quantize(trained, engine);
                long int8Bytes = ModelSize.weightBytes(int8);
                for (int t : threads) {
                    Threads.set(t);
                    double[] ms = new Sampler(false).measure(() -> sink = floatModel.forward(x), () -> sink = int8.forward(x));
                    rows.accept(new ModelRow(entry.name(), backend.name(), backend.width().name(), t, ms[0], ms[1],
                            floatBytes, int8Bytes));
                }
            }
        } finally {
            QuantEngine.set(engineBefore);
            Threads.set(threadsBefore);
        }
    }

    /** Marks a row on the child's standard output (anything else there is passed over). */
    private static final String ROW = "model-row\t";

    private static String format(ModelRow r) {
        return String.join("\t", r.model(), r.engine(), r.isa(), Integer.toString(r.threads()),
                Double.toString(r.floatMs()), Double.toString(r.int8Ms()), Long.toString(r.floatBytes()),
                Long.toString(r.int8Bytes()));
    }

    private static ModelRow parse(String line) {
        String[] f = line.split("\t");
        return new ModelRow(f[0], f[1], f[2], Integer.parseInt(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                Long.parseLong(f[6]), Long.parseLong(f[7]));
    }

    /**
     * The child JVM of {@link #measure}: measures the models on one engine and prints each row on
     * standard output.
     *
     * @param args the engine name, the model names (comma separated) and the thread counts (comma separated)
     */
    public static void main(String[] args) {
        List<ModelEntry> models = Arrays.stream(args[1].split(",")).map(ModelRegistry::byName).toList();
        List<Integer> threads = Arrays.stream(args[2].split(",")).map(Integer::valueOf).toList();
        new ModelBench().measureHere(models, args[0], threads, row -> {
            System.out.println(ROW + format(row));
            System.out.flush();
        });
    }
}
