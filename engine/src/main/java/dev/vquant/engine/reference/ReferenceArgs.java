package dev.vquant.engine.reference;

import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedWeights;

/**
 * Null checks and the packed-weights check shared by the reference kernels, so that a null array
 * or foreign weights get an {@link IllegalArgumentException} naming the argument.
 */
final class ReferenceArgs {
    private ReferenceArgs() {
    }

    static int length(byte[] a, String what) {
        requireArray(a, what);
        return a.length;
    }

    static int length(int[] a, String what) {
        requireArray(a, what);
        return a.length;
    }

    static int length(float[] a, String what) {
        requireArray(a, what);
        return a.length;
    }

    /**
     * The weights as this engine's own layout: they must have been packed for "reference"
     * ({@link KernelArgs#checkPackedFor}) and by this engine's packer.
     */
    static <T extends PackedWeights> T packed(PackedWeights w, Class<T> layout) {
        KernelArgs.checkPackedFor(w, ReferenceBackend.NAME);
        if (!layout.isInstance(w)) {
            throw new IllegalArgumentException("weights claim engine '" + ReferenceBackend.NAME + "' but are a "
                    + w.getClass().getName() + ", not the reference packer's " + layout.getSimpleName());
        }
        return layout.cast(w);
    }

    /** {@code a * b * ...} as an int, or an exception naming {@code what} when it exceeds 2^31-1. */
    static int product(String what, int... factors) {
        long p = 1;
        for (int f : factors) {
            p *= f;
            if (p > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " has more than 2^31-1 elements");
            }
        }
        return (int) p;
    }

    private static void requireArray(Object a, String what) {
        if (a == null) {
            throw new IllegalArgumentException(what + " array must not be null");
        }
    }
}
