package dev.vquant.bench.jmh;

import dev.vquant.bench.report.ModelEntry;
import dev.vquant.bench.report.ModelRegistry;
import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.Threads;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * JMH: whole models of {@code vquant report}'s registry ({@link ModelRegistry}), batch 1, the
 * float model against its int8 model on the same engine and thread count ({@code Threads.set};
 * each parameter combination runs in its own fork, so the process-wide engine and thread settings
 * are the benchmark's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ModelsBench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link #setUp()}. */
    public ModelsBench() {
    }

    /** A registry name ({@code vquant report}'s model column). */
    @Param({"resnet18", "resnet50", "mobilenet_v2", "bert_layer_s128", "bert_layer_s1", "lstm_256x512_T32", "word_lm_T25", "mnist_cnn"})
    public String model;

    /**
     * The quantized engine the process runs with and the int8 model is prepared for ({@code QuantEngine.set}).
     */
    @Param({"fbgemm", "qnnpack"})
    public String engine;

    /** The intra-op thread count of the process ({@code Threads.set}). */
    @Param({"1"})
    public int threads;

    private Module floatModel;
    private Module int8Model;
    private Tensor input;
    private final OutputArena arena = new OutputArena();

    /**
     * Selects engine and threads, builds the trained model, its float inference and int8 forms and the batch-1
     * input.
     *
     * @throws IllegalArgumentException for an unknown model or engine name
     */
    @Setup
    public void setUp() {
        ModelEntry entry = ModelRegistry.byName(model);
        QuantEngine.set(engine);
        Threads.set(threads);
        Module trained = entry.model().get();
        floatModel = entry.inference().apply(trained);
        int8Model = entry.int8().quantize(trained, engine);
        input = entry.input().get();
    }

    /**
     * One forward of the float model.
     *
     * @return its output, consumed by JMH
     */
    @Benchmark
    public Tensor float32() {
        return floatModel.forward(input);
    }

    /**
     * One forward of the int8 model.
     *
     * @return its output, consumed by JMH
     */
    @Benchmark
    public Tensor int8() {
        return int8Model.forward(input);
    }

    /**
     * One forward of the float model inside a scope of the reused {@link OutputArena}: the float
     * twin's allocation beside {@link #int8Reused}'s.
     *
     * @return its output (JMH only consumes the reference; its array is the arena's)
     */
    @Benchmark
    public Tensor float32Reused() {
        try (OutputArena.Scope s = arena.enter()) {
            return floatModel.forward(input);
        }
    }

    /**
     * One forward of the int8 model inside a scope of an {@link OutputArena} reused from call to
     * call: the operators' output arrays come from the arena, so steady state allocates no
     * activation arrays ({@code -prof gc} shows what remains).
     *
     * @return its output (JMH only consumes the reference; its array is the arena's)
     */
    @Benchmark
    public Tensor int8Reused() {
        try (OutputArena.Scope s = arena.enter()) {
            return int8Model.forward(input);
        }
    }
}
