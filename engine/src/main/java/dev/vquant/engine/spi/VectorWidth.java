package dev.vquant.engine.spi;

import java.util.Arrays;
import java.util.Locale;

/**
 * The vector width a backend's kernels are written for. Kernel class names carry it
 * ({@code QGemm4x3V512}); the ISA it maps to belongs to the module and the dispatch predicate.
 */
public enum VectorWidth {
    /** Plain scalar Java, no Vector API (the reference backend). */
    SCALAR(0),
    /** 128-bit vectors: NEON on AArch64 (the qnnpack engine). */
    V128(128),
    /** 256-bit vectors: AVX2 on x86-64. */
    V256(256),
    /** 512-bit vectors: AVX-512 on x86-64. */
    V512(512);

    /** System property that forces a width inside an engine, e.g. {@code -Dvquant.width=V256}. */
    public static final String PROPERTY = "vquant.width";

    private final int bits;

    VectorWidth(int bits) {
        this.bits = bits;
    }

    /**
     * The vector register size in bits.
     *
     * @return 0 for {@link #SCALAR}, else 128, 256 or 512
     */
    public int bits() {
        return bits;
    }

    /**
     * The width forced by {@link #PROPERTY}, or null when the property is unset.
     *
     * @return the forced width, or null
     * @throws IllegalArgumentException when the property holds something else than a width name
     */
    public static VectorWidth forced() {
        return parse(System.getProperty(PROPERTY));
    }

    /**
     * The width a {@link #PROPERTY} value names (case-insensitive), or null for null or blank.
     *
     * @param v a property value such as {@code "V256"} or {@code "v512"}
     * @return the width, or null for null or blank {@code v}
     * @throws IllegalArgumentException when {@code v} is something else than a width name
     */
    public static VectorWidth parse(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + " is not a vector width; use one of "
                    + Arrays.toString(values()), e);
        }
    }
}
