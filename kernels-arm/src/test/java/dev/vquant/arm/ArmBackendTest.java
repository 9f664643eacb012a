package dev.vquant.arm;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.VectorWidth;
import jdk.incubator.vector.IntVector;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend as the engine switch sees it, and the platform facts that decide the default
 * engine. Under the arm64 profile ({@code -Dvquant.test.expectArch=aarch64}) this is the proof that
 * the suite really ran on an aarch64 JVM with 128-bit NEON vectors and that qnnpack is the
 * automatic default there; it fails if the profile silently ran on another architecture.
 */
class ArmBackendTest {

    @Test
    void registeredAndAvailable() {
        KernelBackend b = QuantEngine.backend("qnnpack");
        assertTrue(b instanceof ArmBackend, "qnnpack resolves to " + b.getClass());
        assertTrue(b.unavailableReason().isEmpty(), () -> "unavailable: " + b.unavailableReason());
        assertEquals(VectorWidth.V128, b.width());
        assertEquals("NEON-width 128-bit (V128)", b.isaDescription());
        assertTrue(QuantEngine.supported().contains("qnnpack"));
        assertSame(b.qgemm(), b.qgemm(), "families are created once");
    }

    @Test
    void defaultEngineFollowsTheArchitecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String expected = System.getProperty("vquant.test.expectArch");
        if (expected != null && !expected.isBlank()) {
            assertEquals(expected, arch, "this test JVM was expected to run on " + expected);
        }
        if (arch.equals("aarch64")) {
            assertEquals("qnnpack", QuantEngine.automaticDefault());
            // NEON (neoverse-n1 under qemu, or real NEON hardware): the preferred species is 128 bits
            assertEquals(128, IntVector.SPECIES_PREFERRED.vectorBitSize(),
                    "preferred vector size on this aarch64 CPU");
            System.out.println("[arm64] os.arch=" + arch + ", default engine=" + QuantEngine.automaticDefault()
                    + ", preferred vector bits=" + IntVector.SPECIES_PREFERRED.vectorBitSize());
        } else {
            assertTrue(!QuantEngine.automaticDefault().equals("qnnpack"),
                    "qnnpack is the default only on aarch64, not on " + arch);
        }
    }

    @Test
    void declaresQnnpackNumerics() {
        assertEquals(EngineNumerics.QNNPACK, new ArmBackend().numerics());
    }
}
