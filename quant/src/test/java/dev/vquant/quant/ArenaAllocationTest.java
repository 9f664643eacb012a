package dev.vquant.quant;

import dev.vquant.engine.DType;
import dev.vquant.engine.QuantEngine;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.Threads;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.QuantStub;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady-state forwards in a reused {@link OutputArena} scope allocate nothing: a static int8 CNN
 * (quantize from NCHW, 3x3 im2col convolution with ReLU, 1x1 convolution, ReLU, flatten, Linear,
 * dequantize; no depthwise convolution: the reference engine's depthwise kernel builds a small
 * shape record per call, an oracle's convenience the serving engines' kernels do not share) and a dynamic int8 MLP (dynamic Linear, ReLU, dynamic Linear),
 * measured with {@code ThreadMXBean.getThreadAllocatedBytes} around a forward after two warm-up
 * forwards in the same arena.
 *
 * <p>Why the bound is deterministic: the models run on the scalar {@code reference} engine at one
 * thread, and use no operator that calls the Vector API directly (adds, LayerNorm, softmax, GELU,
 * LSTM cells box vectors when interpreted). The JIT can only remove allocations (escape analysis),
 * never add them, so what an interpreted forward allocates is the worst case; and interpreted, the
 * allocations of this code are exactly what it executes: after the warm-up every array comes
 * from an arena slot, every tensor wrapper from an arena object slot, no capturing lambda is built
 * (single-thread work runs inline) and no message string is built. So the bound holds with or
 * without C2 ({@code -Xint} included) and is met with 0 bytes; the {@value #SLACK_BYTES} bytes of
 * slack cover only the measurement itself (the calls to the MXBean), which a back-to-back pair of
 * readings also shows.
 */
class ArenaAllocationTest {
    /** Bytes a measured region may show beyond the forward itself: the MXBean calls' own, if any. */
    private static final long SLACK_BYTES = 64;

    private final String engineBefore = QuantEngine.get();
    private final int threadsBefore = Threads.get();

    @AfterEach
    void restore() {
        QuantEngine.set(engineBefore);
        Threads.set(threadsBefore);
    }

    private static Tensor images(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[1 * 3 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 2);
        }
        return Tensor.of(x, 1, 3, 8, 8);
    }

    private static Tensor rows(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-2, 2);
        }
        return Tensor.of(x, 2, 20);
    }

    private static Module staticCnn() {
        Sequential model = new Sequential(new QuantStub(),
                Conv2d.builder(3, 8, 3).padding(1).seed(1).build(), new ReLU(),
                Conv2d.builder(8, 16, 1).seed(2).build(), new ReLU(),
                new Flatten(), new Linear(16 * 8 * 8, 10, true, 4), new DeQuantStub());
        model.eval();
        model.setQConfig(QConfig.defaultFor("fbgemm"));
        Module prepared = Quantize.prepare(model);
        for (int b = 0; b < 3; b++) {
            prepared.forward(images(b));
        }
        return Quantize.convert(prepared);
    }

    private static Module dynamicMlp() {
        Sequential mlp = new Sequential(new Linear(20, 32, true, 5), new ReLU(), new Linear(32, 8, true, 6));
        mlp.eval();
        return Quantize.quantizeDynamic(mlp, Set.of(Linear.class), DType.QINT8);
    }

    @Test
    void staticInt8CnnAllocatesNothingInAReusedScope() {
        QuantEngine.set("reference");
        Threads.set(1);
        assertSteadyStateAllocatesNothing(staticCnn(), images(7), "static int8 CNN");
    }

    @Test
    void dynamicInt8MlpAllocatesNothingInAReusedScope() {
        QuantEngine.set("reference");
        Threads.set(1);
        assertSteadyStateAllocatesNothing(dynamicMlp(), rows(8), "dynamic int8 MLP");
    }

    private static void assertSteadyStateAllocatesNothing(Module model, Tensor x, String what) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        float[] expected = model.forward(x).toFloatArray();
        OutputArena arena = new OutputArena();
        for (int i = 0; i < 2; i++) { // warm-up: the arena's slots fill, call sites link
            try (OutputArena.Scope s = arena.enter()) {
                model.forward(x);
            }
        }
        long arrays = arena.allocations();
        long empty0 = mx.getThreadAllocatedBytes(id);
        long empty1 = mx.getThreadAllocatedBytes(id);
        Tensor y;
        long before;
        long after;
        try (OutputArena.Scope s = arena.enter()) {
            before = mx.getThreadAllocatedBytes(id);
            y = model.forward(x);
            after = mx.getThreadAllocatedBytes(id);
            assertArrayEquals(expected, y.toFloatArray(), what + ": same result inside the scope");
        }
        long forward = after - before;
        assertTrue(forward <= SLACK_BYTES, what + ": a steady-state forward in a reused scope allocated " + forward
                + " bytes (an empty measured region: " + (empty1 - empty0) + " bytes)");
        assertTrue(arena.allocations() == arrays, what + ": the arena allocated arrays after the warm-up");
    }
}
