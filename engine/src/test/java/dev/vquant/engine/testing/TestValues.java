package dev.vquant.engine.testing;

import java.util.SplittableRandom;

/** Random test data with controllable extremes, from one replicable seed. */
final class TestValues {
    private TestValues() {
    }

    /** quint8 activations in {@code [0, max]}. */
    static byte[] activations(SplittableRandom rng, int length, int max, Extremes extremes) {
        byte[] a = new byte[length];
        for (int i = 0; i < length; i++) {
            a[i] = (byte) (pickExtreme(rng, extremes) ? (rng.nextBoolean() ? 0 : max) : rng.nextInt(max + 1));
        }
        return a;
    }

    /** qint8 weights in {@code [-128, 127]}. */
    static byte[] weights(SplittableRandom rng, int length, Extremes extremes) {
        byte[] w = new byte[length];
        for (int i = 0; i < length; i++) {
            w[i] = (byte) (pickExtreme(rng, extremes) ? (rng.nextBoolean() ? -128 : 127) : rng.nextInt(256) - 128);
        }
        return w;
    }

    /** Uniform bytes for junk regions a kernel must not read. */
    static void junk(SplittableRandom rng, byte[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) rng.nextInt(256);
        }
    }

    /** An activation zero point in {@code [0, max]}: an extreme under {@link Extremes#ONLY}. */
    static int activationZeroPoint(SplittableRandom rng, int max, Extremes extremes) {
        return extremes == Extremes.ONLY ? (rng.nextBoolean() ? 0 : max) : rng.nextInt(max + 1);
    }

    /** {@code count} weight zero points (0 a quarter of the time, as symmetric quantization gives). */
    static int[] weightZeroPoints(SplittableRandom rng, int count, Extremes extremes) {
        int[] z = new int[count];
        for (int i = 0; i < count; i++) {
            if (extremes == Extremes.ONLY) {
                z[i] = rng.nextBoolean() ? -128 : 127;
            } else {
                z[i] = rng.nextInt(4) == 0 ? 0 : rng.nextInt(256) - 128;
            }
        }
        return z;
    }

    /** Uniform floats in {@code [-1, 1)}. */
    static float[] floats(SplittableRandom rng, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static boolean pickExtreme(SplittableRandom rng, Extremes extremes) {
        return switch (extremes) {
            case NONE -> false;
            case MIXED -> rng.nextBoolean();
            case ONLY -> true;
        };
    }
}
