package dev.vquant.quant.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reading the golden JSON files of {@code tools/golden/*.py} (test resources {@code golden/}):
 * float32 tensors as lists of their int bits, int lists, and a bit-for-bit comparison that names
 * the first differing index.
 */
public final class GoldenJson {
    private GoldenJson() {
    }

    /** The parsed {@code golden/<name>} test resource. */
    public static JsonNode read(String name) {
        try (InputStream in = GoldenJson.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("golden/" + name, e);
        }
    }

    /** Floats from a list of their int bits. */
    public static float[] floats(JsonNode bits) {
        float[] out = new float[bits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat(bits.get(i).asInt());
        }
        return out;
    }

    /** An int list. */
    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** Bit-for-bit equality; the message counts the differences and names the first. */
    public static void assertBits(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        int differ = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                differ++;
                first = first < 0 ? i : first;
            }
        }
        if (differ > 0) {
            throw new AssertionError(what + ": " + differ + " of " + expected.length + " values differ, first at index " + first
                    + ": expected " + expected[first] + " got " + actual[first]);
        }
    }
}
