package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.nn.ReLU;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tape's contract: thread confinement, one backward, clear errors, accumulation, nothing recorded outside. */
class GradTapeTest {

    private static Tensor batch() {
        return Tensor.of(new float[]{1, -2, 3, 0.5f, 4, -1}, 2, 3);
    }

    @Test
    void noTapeMeansNoRecordingAndNoGradient() {
        Linear l = new Linear(3, 2, true, 1);
        assertNull(GradTape.recording());
        Tensor y = l.forward(batch());
        assertEquals(2, y.dim(1));
        assertArrayEquals(new float[6], l.weight().grad());
    }

    @Test
    void backwardAccumulatesIntoParameterGradients() {
        Linear l = new Linear(3, 2, true, 1);
        float[] first;
        for (int step = 0; step < 2; step++) {
            try (GradTape tape = GradTape.record()) {
                tape.backward(Loss.crossEntropy(l.forward(batch()), new int[]{0, 1}));
            }
        }
        first = l.weight().grad().clone();
        l.weight().zeroGrad();
        try (GradTape tape = GradTape.record()) {
            tape.backward(Loss.crossEntropy(l.forward(batch()), new int[]{0, 1}));
        }
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], 2 * l.weight().grad()[i], 1e-6f, "two steps accumulate twice one step");
        }
    }

    @Test
    void aTensorUsedTwiceGetsBothGradients() {
        Parameter p = Parameter.of(new float[]{1, -2, 3}, 1, 3);
        try (GradTape tape = GradTape.record()) {
            Tensor x = tape.leaf(p);
            assertSame(x, tape.leaf(p));
            Tensor y = new dev.vquant.quant.nn.FloatFunctional().add(x, x);
            tape.backward(GradCheck.weightedSum(tape, y, new float[]{1, 2, 3}));
        }
        assertArrayEquals(new float[]{2, 4, 6}, p.grad());
    }

    @Test
    void backwardTwiceIsRefused() {
        Linear l = new Linear(3, 2, true, 1);
        try (GradTape tape = GradTape.record()) {
            Tensor loss = Loss.crossEntropy(l.forward(batch()), new int[]{0, 1});
            tape.backward(loss);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(loss));
            assertTrue(e.getMessage().contains("backward already ran"), e.getMessage());
        }
    }

    @Test
    void lossMustBeAScalarFromThisTape() {
        Linear l = new Linear(3, 2, true, 1);
        Tensor outside = Loss.crossEntropy(l.forward(batch()), new int[]{0, 1});
        try (GradTape tape = GradTape.record()) {
            Tensor y = l.forward(batch());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("scalar"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> tape.backward(outside));
            assertTrue(e.getMessage().contains("not computed under this GradTape"), e.getMessage());
        }
    }

    @Test
    void aConstantLossIsRefused() {
        try (GradTape tape = GradTape.record()) {
            Tensor loss = Loss.crossEntropy(new ReLU().forward(batch()), new int[]{0, 1});
            assertThrows(IllegalArgumentException.class, () -> tape.backward(loss));
        }
    }

    @Test
    void oneTapePerThreadAndClosedTapesRefuseWork() {
        GradTape tape = GradTape.record();
        try {
            assertThrows(IllegalStateException.class, GradTape::record);
            assertSame(tape, GradTape.recording());
        } finally {
            tape.close();
        }
        assertNull(GradTape.recording());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.leaf(Parameter.zeros(1)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        tape.close();
    }

    @Test
    void otherThreadsNeitherSeeNorUseTheTape() throws InterruptedException {
        try (GradTape tape = GradTape.record()) {
            AtomicReference<Object> seen = new AtomicReference<>("unset");
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread t = new Thread(() -> {
                seen.set(GradTape.recording());
                try {
                    tape.leaf(Parameter.zeros(1));
                } catch (Throwable x) {
                    error.set(x);
                }
            });
            t.start();
            t.join();
            assertNull(seen.get());
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
        }
    }

    @Test
    void modifyingAParameterBetweenForwardAndBackwardIsRefused() {
        Linear l = new Linear(3, 2, true, 1);
        try (GradTape tape = GradTape.record()) {
            Tensor loss = Loss.crossEntropy(l.forward(batch()), new int[]{0, 1});
            l.weight().markModified();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(loss));
            assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
        }
    }

    @Test
    void crossEntropyChecksItsArguments() {
        Tensor logits = batch();
        assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(logits, new int[]{0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(logits, new int[]{0, 3}));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(Tensor.of(new float[3], 3), new int[]{0, 0, 0}));
    }
}
