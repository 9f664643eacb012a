package dev.vquant.quant.optim;

import dev.vquant.quant.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's argument checks of SGD and the schedules, as clear exceptions, and the bookkeeping around a step. */
class OptimArgumentsTest {
    private static List<Parameter> one() {
        return List.of(Parameter.of(new float[]{1f, 2f}, 2));
    }

    private static void assertMessage(Class<? extends Throwable> type, String part, org.junit.jupiter.api.function.Executable e) {
        Throwable t = assertThrows(type, e);
        assertTrue(t.getMessage().contains(part), "message '" + t.getMessage() + "' lacks '" + part + "'");
    }

    @Test
    void sgdRejectsBadOptions() {
        assertMessage(IllegalArgumentException.class, "learning rate", () -> SGD.builder(one(), -0.1));
        assertMessage(IllegalArgumentException.class, "learning rate", () -> SGD.builder(one(), Double.NaN));
        assertMessage(IllegalArgumentException.class, "momentum", () -> SGD.builder(one(), 0.1).momentum(-1).build());
        assertMessage(IllegalArgumentException.class, "weight_decay", () -> SGD.builder(one(), 0.1).weightDecay(-1).build());
        assertMessage(IllegalArgumentException.class, "Nesterov", () -> SGD.builder(one(), 0.1).nesterov(true).build());
        assertMessage(IllegalArgumentException.class, "Nesterov",
                () -> SGD.builder(one(), 0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertMessage(IllegalArgumentException.class, "empty parameter list", () -> SGD.builder(List.of(), 0.1));
        assertMessage(IllegalArgumentException.class, "buffer",
                () -> SGD.builder(List.of(Parameter.buffer(new float[1], 1)), 0.1));
        Parameter p = Parameter.zeros(3);
        assertMessage(IllegalArgumentException.class, "twice", () -> SGD.builder(List.of(p, p), 0.1));
        assertThrows(NullPointerException.class, () -> SGD.builder(null, 0.1));
        SGD sgd = SGD.builder(one(), 0.1).build();
        assertMessage(IllegalArgumentException.class, "learning rate", () -> sgd.setLr(Double.POSITIVE_INFINITY));
    }

    @Test
    void stepMarksParametersModifiedAndZeroGradClears() {
        Parameter p = Parameter.of(new float[]{1f, 2f}, 2);
        SGD sgd = SGD.builder(List.of(p), 0.5).build();
        p.grad()[0] = 1f;
        p.grad()[1] = -2f;
        long before = p.version();
        sgd.step();
        assertArrayEquals(new float[]{0.5f, 3f}, p.data());
        assertTrue(p.version() > before, "step announces the change");
        sgd.zeroGrad();
        assertArrayEquals(new float[]{0f, 0f}, p.grad());
    }

    @Test
    void schedulesRejectBadOptions() {
        SGD sgd = SGD.builder(one(), 0.1).momentum(0.9).build();
        assertMessage(IllegalArgumentException.class, "T_max", () -> new CosineAnnealingLR(sgd, 0));
        assertMessage(IllegalArgumentException.class, "eta_min", () -> new CosineAnnealingLR(sgd, 5, -1));
        assertMessage(IllegalArgumentException.class, "total_steps OR", () -> OneCycleLR.builder(sgd, 0.1).build());
        assertMessage(IllegalArgumentException.class, "total_steps", () -> OneCycleLR.builder(sgd, 0.1).totalSteps(0).build());
        assertMessage(IllegalArgumentException.class, "epochs", () -> OneCycleLR.builder(sgd, 0.1).epochs(0).stepsPerEpoch(3).build());
        assertMessage(IllegalArgumentException.class, "pct_start",
                () -> OneCycleLR.builder(sgd, 0.1).totalSteps(10).pctStart(1.5).build());
        assertMessage(IllegalArgumentException.class, "max_lr", () -> OneCycleLR.builder(sgd, -1).totalSteps(10).build());
        assertThrows(NullPointerException.class, () -> OneCycleLR.builder(null, 0.1));
    }

    @Test
    void oneCycleRefusesToStepTwicePastItsEnd() {
        SGD sgd = SGD.builder(one(), 0.1).momentum(0.9).build();
        OneCycleLR s = OneCycleLR.builder(sgd, 0.1).totalSteps(10).build();
        assertEquals(0.95, sgd.momentum(), 1e-12, "momentum starts at max_momentum");
        assertEquals(0.1 / 25, sgd.lr(), 1e-15, "the initial rate is max_lr / div_factor (anneal arithmetic aside)");
        for (int i = 0; i < 10; i++) {
            s.step();    // PyTorch allows total_steps steps after the initial one
        }
        assertMessage(IllegalStateException.class, "Tried to step 12 times", s::step);
    }
}
