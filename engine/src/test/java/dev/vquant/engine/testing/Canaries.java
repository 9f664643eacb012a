package dev.vquant.engine.testing;

import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntPredicate;

/**
 * Output checks shared by the kernel testers. Output arrays are pre-filled with an index-dependent
 * canary pattern; after the kernel ran, every element inside the written region must equal the
 * reference and every element outside it (other columns, padding between the row length and the
 * leading dimension, guard elements after the end) must still hold its canary. The pattern varies
 * per index so that a stray write of a plausible value is still caught.
 */
public final class Canaries {
    /** How many mismatches a failure message lists before summarizing. */
    private static final int LISTED = 8;

    private Canaries() {
    }

    public static byte byteAt(int i) {
        return (byte) (0x5A ^ (i * 37) ^ (i >>> 8));
    }

    public static int intAt(int i) {
        return 0xC0DE_0000 ^ (i * 0x9E37_79B9);
    }

    /** A quiet NaN with an index-dependent payload: no arithmetic result has these bits. */
    public static float floatAt(int i) {
        return Float.intBitsToFloat(0x7FC0_0001 | ((i * 0x9E37_79B9) & 0x003F_FFFE));
    }

    public static void fill(byte[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = byteAt(i);
        }
    }

    public static void fill(int[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = intAt(i);
        }
    }

    public static void fill(float[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = floatAt(i);
        }
    }

    /** Bit-exact in {@code written}, canary elsewhere. */
    public static void assertExact(String context, byte[] expected, byte[] actual, IntPredicate written,
                                   IntFunction<String> where) {
        Report r = new Report(context);
        for (int i = 0; i < actual.length; i++) {
            if (written.test(i)) {
                if (actual[i] != expected[i]) {
                    r.add(where.apply(i) + ": expected " + expected[i] + " (" + (expected[i] & 0xFF) + " unsigned), got "
                            + actual[i] + " (" + (actual[i] & 0xFF) + " unsigned)");
                }
            } else if (actual[i] != byteAt(i)) {
                r.add("canary " + where.apply(i) + " (index " + i + ", outside the written region) was overwritten with " + actual[i]);
            }
        }
        r.throwIfAny();
    }

    /** Bit-exact in {@code written}, canary elsewhere. */
    public static void assertExact(String context, int[] expected, int[] actual, IntPredicate written,
                                   IntFunction<String> where) {
        Report r = new Report(context);
        for (int i = 0; i < actual.length; i++) {
            if (written.test(i)) {
                if (actual[i] != expected[i]) {
                    r.add(where.apply(i) + ": expected " + expected[i] + ", got " + actual[i]);
                }
            } else if (actual[i] != intAt(i)) {
                r.add("canary " + where.apply(i) + " (index " + i + ", outside the written region) was overwritten with " + actual[i]);
            }
        }
        r.throwIfAny();
    }

    /** Same float32 bits in {@code written} ({@code tolerance} null), or within {@code tolerance(i)}; canary elsewhere. */
    public static void assertFloats(String context, float[] expected, float[] actual, IntPredicate written,
                                    IntToDoubleFunction tolerance, IntFunction<String> where) {
        Report r = new Report(context);
        for (int i = 0; i < actual.length; i++) {
            if (written.test(i)) {
                boolean ok = tolerance == null
                        ? Float.floatToRawIntBits(actual[i]) == Float.floatToRawIntBits(expected[i])
                        : Math.abs((double) actual[i] - expected[i]) <= tolerance.applyAsDouble(i);
                if (!ok) {
                    r.add(where.apply(i) + ": expected " + expected[i] + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i]))
                            + "), got " + actual[i] + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")"
                            + (tolerance == null ? "" : ", tolerance " + tolerance.applyAsDouble(i)));
                }
            } else if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(floatAt(i))) {
                r.add("canary " + where.apply(i) + " (index " + i + ", outside the written region) was overwritten with " + actual[i]);
            }
        }
        r.throwIfAny();
    }

    /** Inputs must come back unchanged: kernels read them only. */
    public static void assertUnchanged(String context, String what, Object before, Object after) {
        boolean same = switch (before) {
            case byte[] b -> java.util.Arrays.equals(b, (byte[]) after);
            case int[] b -> java.util.Arrays.equals(b, (int[]) after);
            case float[] b -> java.util.Arrays.equals(b, (float[]) after);
            default -> throw new IllegalArgumentException("not an array: " + before);
        };
        if (!same) {
            throw new AssertionError(context + ": the kernel modified its input " + what);
        }
    }

    /** Collects mismatches and throws one AssertionError listing the first few. */
    private static final class Report {
        private final String context;
        private final StringBuilder listed = new StringBuilder();
        private int count;

        Report(String context) {
            this.context = context;
        }

        void add(String mismatch) {
            if (count++ < LISTED) {
                listed.append("\n  ").append(mismatch);
            }
        }

        void throwIfAny() {
            if (count > 0) {
                throw new AssertionError(context + ": " + count + " mismatching element(s)" + listed
                        + (count > LISTED ? "\n  ..." : ""));
            }
        }
    }
}
