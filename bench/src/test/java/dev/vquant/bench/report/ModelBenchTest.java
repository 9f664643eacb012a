package dev.vquant.bench.report;

import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.core.Threads;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.ModelSize;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBenchTest {

    /** Same recipes as resnet18 and bert_layer_s128 at 3-12x the work: left to the models' own tests. */
    private static final Set<String> LARGER_TWINS = Set.of("resnet50", "bert_base_s128");

    @Test
    void everyRegisteredModelRunsFloatAndInt8OnTheSameInputToTheSameShape() {
        String engine = QuantEngine.get();
        for (ModelEntry e : ModelRegistry.all()) {
            if (LARGER_TWINS.contains(e.name())) {
                continue;
            }
            Module trained = e.model().get();
            Module f = e.inference().apply(trained);
            Tensor x = e.input().get();
            Module q = e.int8().quantize(trained, engine);
            Tensor yf = f.forward(x);
            Tensor yq = q.forward(x).dequantize();
            assertTrue(Arrays.equals(yf.shape(), yq.shape()), e.name() + ": " + Arrays.toString(yf.shape()) + " vs "
                    + Arrays.toString(yq.shape()));
            for (float v : yq.toFloatArray()) {
                assertTrue(Float.isFinite(v), e.name());
            }
            assertTrue(ModelSize.weightBytes(q) < ModelSize.weightBytes(trained), e.name() + ": int8 weights smaller");
        }
    }

    @Test
    void quickModelsAreRegistered() {
        assertFalse(ModelRegistry.quick().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.byName("alexnet"));
        assertTrue(e.getMessage().contains("unknown model 'alexnet'") && e.getMessage().contains("lstm_256x512_T32"), e.getMessage());
    }

    @Test
    void measuresARowPerEngineAndThreadCountInAChildJvm() throws Exception {
        ModelEntry mlp = ModelRegistry.byName("mnist_mlp");
        List<ModelRow> seen = new ArrayList<>();
        List<ModelRow> rows = new ModelBench().measure(List.of(mlp), List.of("reference"), List.of(1), seen::add);
        assertEquals(rows, seen);
        assertEquals(1, rows.size());
        ModelRow r = rows.get(0);
        assertEquals("mnist_mlp", r.model());
        assertEquals("reference", r.engine());
        assertTrue(r.floatMs() > 0 && r.int8Ms() > 0, r.toString());
        // 784*256 + 256*128 + 128*10 weights (+ float biases): float32 4 bytes each, qint8 1 byte plus per-channel qparams
        assertTrue(r.floatBytes() > 4L * (784 * 256 + 256 * 128) && r.sizeRatio() > 3.3 && r.sizeRatio() < 4, r.toString());
    }

    @Test
    void measuringHereRestoresTheSettings() {
        ModelEntry mlp = ModelRegistry.byName("mnist_mlp");
        String engineBefore = QuantEngine.get();
        int threadsBefore = Threads.get();
        List<ModelRow> seen = new ArrayList<>();
        new ModelBench().measureHere(List.of(mlp), "reference", List.of(1), seen::add);
        assertEquals(1, seen.size());
        assertEquals("reference", seen.get(0).engine());
        assertEquals(engineBefore, QuantEngine.get());
        assertEquals(threadsBefore, Threads.get());
    }
}
