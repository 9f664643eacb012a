package dev.vquant.engine.testing;

import dev.vquant.engine.DType;

import java.util.Random;

/**
 * Bad and boundary values for the fuzz properties ({@link FuzzCase}), drawn from jqwik's seeded
 * {@link Random}: scales every quantize step must refuse, zero points outside a dtype, shapes whose
 * element count overflows an {@code int}, and small valid shapes with empty dimensions.
 */
public final class FuzzValues {
    private static final double[] BAD_SCALES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
            -Double.MIN_VALUE, -1.0, -Double.MAX_VALUE, Double.MIN_VALUE, 1e-300, 1e-40, 0x1p-127, 1e39, Double.MAX_VALUE};

    private FuzzValues() {
    }

    /** A scale that no quantized tensor may have: NaN, infinite, {@code <= 0}, or not a finite normal float32. */
    public static double badScale(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> -r.nextDouble() * Math.pow(10, r.nextInt(20) - 10);
            case 1 -> r.nextDouble() * 0.99 * Float.MIN_NORMAL;
            case 2 -> 3.5e38 * (1 + r.nextDouble() * 1e10);
            default -> BAD_SCALES[r.nextInt(BAD_SCALES.length)];
        };
    }

    /** A valid scale, the float32 extremes included. */
    public static double goodScale(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> Float.MIN_NORMAL;
            case 1 -> Float.MAX_VALUE;
            default -> Math.pow(10, -6 + 8 * r.nextDouble());
        };
    }

    /** A zero point outside {@code dtype}'s range (quint8 or qint8). */
    public static int badZeroPoint(Random r, DType dtype) {
        return switch (r.nextInt(4)) {
            case 0 -> Integer.MIN_VALUE + r.nextInt(3);
            case 1 -> Integer.MAX_VALUE - r.nextInt(3);
            case 2 -> dtype.min() - 1 - r.nextInt(1000);
            default -> dtype.max() + 1 + r.nextInt(1000);
        };
    }

    /** A zero point inside {@code dtype}'s range, the bounds often. */
    public static int goodZeroPoint(Random r, DType dtype) {
        return switch (r.nextInt(4)) {
            case 0 -> dtype.min();
            case 1 -> dtype.max();
            default -> dtype.min() + r.nextInt(Math.min(256, dtype.max() - dtype.min()));
        };
    }

    /** quint8 or qint8. */
    public static DType byteType(Random r) {
        return r.nextBoolean() ? DType.QUINT8 : DType.QINT8;
    }

    /** A small shape of rank {@code rank} with dimensions in {@code [min, max]}. */
    public static int[] shape(Random r, int rank, int min, int max) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = min + r.nextInt(max - min + 1);
        }
        return s;
    }

    /**
     * A shape whose non-zero dimensions multiply past {@code 2^31-1} (so no tensor of it may exist),
     * sometimes with a zero dimension that would make it empty.
     */
    public static int[] overflowingShape(Random r) {
        int rank = 2 + r.nextInt(4);
        int[] s = new int[rank];
        long p = 1;
        for (int i = 0; i < rank; i++) {
            s[i] = 1 + r.nextInt(64);
            p *= s[i];
        }
        int big = r.nextInt(rank);
        p /= s[big];
        if (p < 2) {
            s[(big + 1) % rank] = 2;
            p = 2;
        }
        // pick the one big dimension so that the product passes 2^31-1
        long need = Integer.MAX_VALUE / p + 1;
        s[big] = (int) Math.min(Integer.MAX_VALUE, need + r.nextInt(1 << 20));
        if (r.nextInt(4) == 0) {
            int[] z = new int[rank + 1];
            int at = r.nextInt(rank + 1);
            for (int i = 0, j = 0; i < z.length; i++) {
                z[i] = i == at ? 0 : s[j++];
            }
            return z;
        }
        return s;
    }

    /** The element count of a shape known to fit an int. */
    public static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Random bytes. */
    public static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Random floats in [-10, 10). */
    public static float[] floats(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (r.nextFloat() - 0.5f) * 20;
        }
        return f;
    }

    /** One of the array's elements. */
    public static <T> T pick(Random r, T[] options) {
        return options[r.nextInt(options.length)];
    }
}
