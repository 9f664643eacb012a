package dev.vquant.engine.reference;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.EngineNumerics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference engine declares fbgemm's numerics and lends its kernels to another engine's. */
class ReferenceNumericsTest {

    @Test
    void registeredReferenceHasFbgemmNumerics() {
        assertEquals(EngineNumerics.FBGEMM, QuantEngine.backend("reference").numerics());
    }

    @Test
    void withNumericsKeepsTheKernelsAndTheName() {
        ReferenceBackend q = ReferenceBackend.withNumerics(EngineNumerics.QNNPACK);
        assertSame(EngineNumerics.QNNPACK, q.numerics());
        assertEquals(ReferenceBackend.NAME, q.name());
        assertEquals(EngineNumerics.BiasArithmetic.INT_BIAS, q.numerics().biasArithmetic());
        assertFalse(q.numerics().honoursReduceRange());
        assertFalse(q.numerics().fusedFloatOutput());
        assertTrue(EngineNumerics.FBGEMM.honoursReduceRange() && EngineNumerics.FBGEMM.fusedFloatOutput());
        assertThrows(NullPointerException.class, () -> ReferenceBackend.withNumerics(null));
    }
}
