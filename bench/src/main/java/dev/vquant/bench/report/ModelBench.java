package dev.vquant.bench.report;

import dev.vquant.bench.ratios.Sampler;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.Threads;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.ModelSize;
import dev.vquant.quant.nn.Module;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures registered models: per engine, the float and the int8 model of an entry on the same
 * input, timed by the ratio runner's {@link Sampler} (warm-up until the JIT settles, then the two
 * sides' samples interleaved, medians), at each thread count ({@link Threads#set}), all in this JVM.
 * Always the sampler's full mode: whole models need its minimum warm-up calls before C2 has
 * compiled them (its quick mode measured a batch-1 MNIST CNN at 30 ms instead of 0.4 ms under load).
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
     * Measures every model on every engine at every thread count, handing each row to
     * {@code rows} as it is known; the current engine and the default thread count are restored.
     *
     * @param models the models to measure
     * @param engines the names of the vquant engines
     * @param threads the thread counts
     * @param rows receives each row as soon as it is measured
     * @return every row, in measurement order
     */
    public List<ModelRow> measure(List<ModelEntry> models, List<String> engines, List<Integer> threads, Consumer<ModelRow> rows) {
        List<ModelRow> out = new ArrayList<>();
        String engineBefore = QuantEngine.get();
        int threadsBefore = Threads.get();
        try {
            for (ModelEntry entry : models) {
                Module trained = entry.model().get();
                Module floatModel = entry.inference().apply(trained);
                Tensor x = entry.input().get();
                long floatBytes = ModelSize.weightBytes(trained);
                for (String engine : engines) {
                    QuantEngine.set(engine);
                    KernelBackend backend = QuantEngine.current();
                    Module int8 = entry.int8().quantize(trained, engine);
                    long int8Bytes = ModelSize.weightBytes(int8);
                    for (int t : threads) {
                        Threads.set(t);
                        double[] ms = new Sampler(false).measure(() -> sink = floatModel.forward(x), () -> sink = int8.forward(x));
                        ModelRow row = new ModelRow(entry.name(), backend.name(), backend.width().name(), t, ms[0], ms[1],
                                floatBytes, int8Bytes);
                        out.add(row);
                        rows.accept(row);
                    }
                }
            }
        } finally {
            QuantEngine.set(engineBefore);
            Threads.set(threadsBefore);
        }
        return out;
    }
}
