package dev.vquant.quant.testing;

import dev.vquant.ops.core.OutputArena;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole models inside an {@link OutputArena} scope compute what they compute without one. */
public final class ArenaChecks {
    private ArenaChecks() {
    }

    /**
     * Runs {@code model} on every input without a scope, then twice inside scopes of one poisoning
     * arena (each scope a different poison): the outputs must be equal bit for bit, the arena must
     * have served arrays, and the second pass must allocate none.
     *
     * @param model  the model
     * @param inputs its inputs, all of one shape (another shape is served by new arrays)
     * @param what   names the case in messages
     */
    public static void sameInsidePoisonedScopes(Module model, List<Tensor> inputs, String what) {
        OutputArena arena = OutputArena.poisoning();
        long afterFirstPass = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < inputs.size(); i++) {
                Tensor x = inputs.get(i);
                float[] want = model.forward(x).toFloatArray().clone();
                float[] got;
                try (OutputArena.Scope s = arena.enter()) {
                    got = model.forward(x).toFloatArray().clone(); // copied: the output is the arena's
                }
                String where = what + ", input " + i + ", pass " + pass;
                assertEquals(want.length, got.length, where);
                for (int k = 0; k < want.length; k++) {
                    assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]),
                            where + ", element " + k + ": " + want[k] + " vs " + got[k]);
                }
            }
            if (pass == 0) {
                afterFirstPass = arena.allocations();
                assertTrue(afterFirstPass > 0, what + ": no array came from the arena");
            }
        }
        assertEquals(afterFirstPass, arena.allocations(), what + ": the second pass allocated arrays");
    }
}
