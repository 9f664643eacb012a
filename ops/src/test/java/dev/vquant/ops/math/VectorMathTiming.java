package dev.vquant.ops.math;

import java.util.Arrays;
import java.util.Random;

/**
 * A same-JVM, interleaved measurement of {@link VectorMath}'s array functions against their scalar
 * twins (and the JDK's float64 {@code Math}), medians of rounds; not a test (no timing thresholds
 * in tests). Run after {@code mvn -pl ops -am test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ops/target/classes:ops/target/test-classes \
 *     dev.vquant.ops.math.VectorMathTiming [n] [rounds] [function index 0..3, one per JVM]
 * </pre>
 * Prints {@code function,n,vector_ns_per_elem,twin_ns_per_elem,jdk_ns_per_elem,twin_over_vector}.
 */
public final class VectorMathTiming {
    private VectorMathTiming() {
    }

    private static volatile float sink;

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 31;
        Random r = new Random(1);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (r.nextFloat() * 2 - 1) * 8;
        }
        float[] y = new float[n];
        String[] names = {"exp", "sigmoid", "tanh", "gelu"};
        System.out.println("lanes=" + VectorMath.LANES);
        System.out.println("function,n,vector_ns_per_elem,twin_ns_per_elem,jdk_ns_per_elem,twin_over_vector");
        int only = args.length > 2 ? Integer.parseInt(args[2]) : -1;
        for (int f = 0; f < names.length; f++) {
            if (only >= 0 && f != only) {
                continue;
            }
            double[][] t = new double[3][rounds];
            for (int warm = 0; warm < 2000; warm++) {
                for (int k = 0; k < 3; k++) {
                    run(f, k, x, y);
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < 3; k++) { // interleaved: vector, twin, jdk in every round
                    int reps = 50;
                    long t0 = System.nanoTime();
                    for (int rep = 0; rep < reps; rep++) {
                        run(f, k, x, y);
                    }
                    t[k][round] = (System.nanoTime() - t0) / (double) reps / n;
                }
            }
            double v = median(t[0]);
            double s = median(t[1]);
            double j = median(t[2]);
            System.out.printf("%s,%d,%.3f,%.3f,%.3f,%.2f%n", names[f], n, v, s, j, s / v);
        }
    }

    // one method per kind, so each is compiled (and inlines its callees) on its own
    private static void run(int f, int kind, float[] x, float[] y) {
        if (kind == 0) {
            runVector(f, x, y);
        } else if (kind == 1) {
            runTwin(f, x, y);
        } else {
            runJdk(f, x, y);
        }
        sink = y[x.length - 1];
    }

    private static void runVector(int f, float[] x, float[] y) {
        int n = x.length;
        switch (f) {
            case 0 -> VectorMath.exp(x, 0, y, 0, n);
            case 1 -> VectorMath.sigmoid(x, 0, y, 0, n);
            case 2 -> VectorMath.tanh(x, 0, y, 0, n);
            default -> VectorMath.gelu(x, 0, y, 0, n);
        }
    }

    private static void runTwin(int f, float[] x, float[] y) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            y[i] = switch (f) {
                case 0 -> ScalarMath.exp(x[i]);
                case 1 -> ScalarMath.sigmoid(x[i]);
                case 2 -> ScalarMath.tanh(x[i]);
                default -> ScalarMath.gelu(x[i]);
            };
        }
    }

    private static void runJdk(int f, float[] x, float[] y) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            y[i] = (float) switch (f) {
                case 0 -> Math.exp(v);
                case 1 -> 1 / (1 + Math.exp(-v));
                case 2 -> Math.tanh(v);
                default -> 0.5 * v * (1 + Erf64.erf(v / Math.sqrt(2)));
            };
        }
    }

    private static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
