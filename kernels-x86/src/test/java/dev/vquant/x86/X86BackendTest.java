package dev.vquant.x86;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.VectorWidth;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Availability, width choice, forced-width parsing and ServiceLoader registration of the fbgemm engine. */
class X86BackendTest {

    @Test
    void availableOnX86WithVectorModuleAndAvx2() {
        assertEquals(Optional.empty(), X86Backend.unavailableReason("amd64", true, 512));
        assertEquals(Optional.empty(), X86Backend.unavailableReason("x86_64", true, 256));
    }

    @Test
    void explainsWhyUnavailable() {
        String arch = X86Backend.unavailableReason("aarch64", true, 128).orElseThrow();
        assertTrue(arch.contains("x86-64") && arch.contains("aarch64"), arch);
        String module = X86Backend.unavailableReason("amd64", false, 0).orElseThrow();
        assertTrue(module.contains("--add-modules jdk.incubator.vector"), module);
        String narrow = X86Backend.unavailableReason("amd64", true, 128).orElseThrow();
        assertTrue(narrow.contains("AVX2") && narrow.contains("128"), narrow);
    }

    @Test
    void widthFollowsPreferredSpeciesUnlessForced() {
        assertEquals(VectorWidth.V512, X86Backend.chooseWidth(512, null));
        assertEquals(VectorWidth.V256, X86Backend.chooseWidth(256, null));
        assertEquals(VectorWidth.V256, X86Backend.chooseWidth(512, VectorWidth.V256));
        assertEquals(VectorWidth.V512, X86Backend.chooseWidth(256, VectorWidth.V512));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> X86Backend.chooseWidth(512, VectorWidth.V128));
        assertTrue(e.getMessage().contains("V256 or V512"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> X86Backend.chooseWidth(512, VectorWidth.SCALAR));
    }

    /** The -Dvquant.width rule through its pure half: no test mutates the JVM's system properties. */
    @Test
    void forcedWidthParsing() {
        assertEquals(VectorWidth.V256, X86Backend.chooseWidth(512, VectorWidth.parse("v256")));
        assertEquals(VectorWidth.V512, X86Backend.chooseWidth(256, VectorWidth.parse(" V512 ")));
        assertEquals(null, VectorWidth.parse(" "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorWidth.parse("avx3"));
        assertTrue(e.getMessage().contains("avx3"), e.getMessage());
        assertTrue(X86Backend.widthProblem(512, "avx3").orElseThrow().contains("avx3"));
        assertTrue(X86Backend.widthProblem(512, "V128").orElseThrow().contains("V256 or V512"));
        assertEquals(Optional.empty(), X86Backend.widthProblem(256, null));
    }

    @Test
    void registeredAsFbgemmWithAliasX86() {
        KernelBackend found = null;
        for (KernelBackend b : ServiceLoader.load(KernelBackend.class)) {
            if (b.name().equals("fbgemm")) {
                found = b;
            }
        }
        assertTrue(found instanceof X86Backend, "fbgemm must be registered through ServiceLoader");
        assertTrue(found.aliases().contains("x86"));
        assertEquals("fbgemm", QuantEngine.backend("x86").name());
    }

    /** This test machine is x86-64 with the module added by Surefire: the engine runs and builds families. */
    @Test
    void runsHereWithFamiliesAtItsWidth() {
        X86Backend b = new X86Backend();
        assertEquals(Optional.empty(), b.unavailableReason());
        int preferred = jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize();
        VectorWidth expected = VectorWidth.forced() != null ? VectorWidth.forced()
                : preferred >= 512 ? VectorWidth.V512 : VectorWidth.V256;
        assertEquals(expected, b.width());
        assertTrue(b.isaDescription().contains(expected.name()));
        assertEquals(expected, b.qgemm().pack(new byte[4], 2, 2, new int[] {0}).width());
        assertEquals(expected, b.floatGemm().pack(new float[4], 2, 2).width());
        assertTrue(b.quantize() != null && b.depthwise() != null && b.floatDepthwise() != null);
    }

    @Test
    void declaresFbgemmNumerics() {
        assertEquals(EngineNumerics.FBGEMM, new X86Backend().numerics());
    }
}
