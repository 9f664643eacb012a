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
 * JMH: the dynamically quantized models of {@code vquant report}'s registry (BERT layer, LSTM,
 * word language model), batch 1, float and int8, each plainly and inside a reused
 * {@link OutputArena} scope, so {@code -prof gc} shows what a call allocates with and without
 * reused activation arrays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class DynamicModelsArenaBench {

    /** A benchmark state JMH instantiates once per fork, set up by {@link #setUp()}. */
    public DynamicModelsArenaBench() {
    }

    /** A registry name of a dynamically quantized model. */
    @Param({"bert_layer_s1", "bert_layer_s128", "lstm_256x512_T32", "word_lm_T25"})
    public String model;

    /** The quantized engine ({@code QuantEngine.set}). */
    @Param({"fbgemm"})
    public String engine;

    /** The intra-op thread count ({@code Threads.set}). */
    @Param({"1"})
    public int threads;

    private final OutputArena arena = new OutputArena();
    private Module floatModel;
    private Module int8Model;
    private Tensor input;

    /**
     * Selects engine and threads, builds the model's float inference and int8 forms and the batch-1 input.
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
     * One forward of the float model inside the reused arena scope.
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
     * One forward of the int8 model inside the reused arena scope.
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
