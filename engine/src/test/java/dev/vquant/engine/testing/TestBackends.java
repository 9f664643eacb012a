package dev.vquant.engine.testing;

import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.spi.KernelBackend;

/** The backends tests compare against. */
public final class TestBackends {
    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    private TestBackends() {
    }

    /** The scalar reference backend, the oracle of every kernel (a shared, stateless instance). */
    public static ReferenceBackend reference() {
        return REFERENCE;
    }

    /** The reference backend typed as the SPI, for code that only needs the interface. */
    public static KernelBackend referenceBackend() {
        return REFERENCE;
    }
}
