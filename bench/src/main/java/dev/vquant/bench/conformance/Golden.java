package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;

/** Readers for the tensors of golden files (see golden/FORMAT.md). */
public final class Golden {
    private Golden() {
    }

    /**
     * float32 data of a tensor node: from its {@code bits} when present (exact), else {@code data}.
     *
     * @param tensor the tensor node
     * @return its values in row-major order
     */
    public static float[] floats(JsonNode tensor) {
        JsonNode bits = tensor.get("bits");
        if (bits != null && bits.isArray()) {
            float[] f = new float[bits.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = Float.intBitsToFloat(bits.get(i).asInt());
            }
            return f;
        }
        return floatArray(tensor.isArray() ? tensor : tensor.get("data"));
    }

    /**
     * A plain JSON array of float32 decimals (exact decimals of float32 values).
     *
     * @param array the JSON array
     * @return its values as float32
     */
    public static float[] floatArray(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) array.get(i).asDouble();
        }
        return f;
    }

    /**
     * A JSON array of ints, or a tensor node's {@code int_repr}.
     *
     * @param node an array of ints or a tensor node
     * @return the ints
     */
    public static int[] ints(JsonNode node) {
        JsonNode a = node.isArray() ? node : node.get("int_repr");
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    /**
     * A plain JSON array of numbers as doubles.
     *
     * @param array the JSON array
     * @return its values
     */
    public static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    /**
     * A tensor node's shape.
     *
     * @param tensor the tensor node
     * @return its {@code shape}
     */
    public static int[] shape(JsonNode tensor) {
        return ints(tensor.get("shape"));
    }

    /**
     * Stored ints as bytes (quint8 0..255 and qint8 -128..127 both fit a byte).
     *
     * @param values ints in -128..255
     * @return each value's low byte
     */
    public static byte[] bytes(int[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /**
     * "label" of a case, or its index.
     *
     * @param c the case's node
     * @param index its position in the file
     * @return its {@code label}, else {@code "case <index> (<kind>)"}
     */
    public static String label(JsonNode c, int index) {
        JsonNode l = c.get("label");
        if (l != null) {
            return l.asText();
        }
        JsonNode kind = c.get("kind");
        return "case " + index + (kind != null ? " (" + kind.asText() + ")" : "");
    }

    /**
     * First index where two int arrays differ, described; null when equal.
     *
     * @param what what the arrays are, for the description
     * @param expected the golden values
     * @param actual the computed values
     * @return the first difference (or a length mismatch) described, or null when equal
     */
    public static String compareInts(String what, int[] expected, int[] actual) {
        if (expected.length != actual.length) {
            return what + ": expected " + expected.length + " values, got " + actual.length;
        }
        int diffs = 0;
        int first = -1;
        int maxAbs = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                if (first < 0) {
                    first = i;
                }
                diffs++;
                maxAbs = Math.max(maxAbs, Math.abs(expected[i] - actual[i]));
            }
        }
        if (diffs == 0) {
            return null;
        }
        return what + ": " + diffs + " of " + expected.length + " differ (max |diff| " + maxAbs + "), first at " + first
                + ": expected " + expected[first] + ", got " + actual[first];
    }

    /**
     * Bit-exact float comparison (so -0.0 != 0.0); null when equal.
     *
     * @param what what the arrays are, for the description
     * @param expected the golden values
     * @param actual the computed values
     * @return the first difference (or a length mismatch) described, or null when equal
     */
    public static String compareFloatBits(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return what + ": expected " + expected.length + " values, got " + actual.length;
        }
        int diffs = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                if (first < 0) {
                    first = i;
                }
                diffs++;
            }
        }
        if (diffs == 0) {
            return null;
        }
        return what + ": " + diffs + " of " + expected.length + " floats differ in bits, first at " + first + ": expected "
                + expected[first] + ", got " + actual[first];
    }
}
