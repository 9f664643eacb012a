package dev.vquant.ops.elementwise;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.ops.testing.Engines;

import java.util.Arrays;
import java.util.Random;

/**
 * A same-JVM, interleaved measurement of {@link QuantizedBinaryKernels}' loops (finished by their
 * twins, as the operators run them) against the scalar twins alone, medians of rounds; not a test
 * (no timing thresholds in tests). Run after {@code mvn -pl ops -am test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ops/target/classes:ops/target/test-classes:engine/target/classes \
 *     dev.vquant.ops.elementwise.QuantizedBinaryTiming [n] [rounds]
 * </pre>
 * Prints {@code kernel,n,vector_ns_per_elem,twin_ns_per_elem,twin_over_vector}; the last row is
 * the whole operator ({@code QAdd.forward} on the reference engine, one thread, with its output
 * allocation and checks) against the twin loop that was the operator's loop. The default n,
 * 200704, is one ResNet-50 stage-3 residual add (1024 x 14 x 14).
 */
public final class QuantizedBinaryTiming {
    private static final String[] NAMES = {"aten_add_relu", "qnnpack_add_relu", "mul", "QAdd.forward_vs_twin"};
    private static final QAdd OP = QAdd.builder().output(0.052, 7).relu(true).threads(1).build();
    private static QTensor a;
    private static QTensor b;
    private static volatile int sink;

    private QuantizedBinaryTiming() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200704;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 31;
        Random r = new Random(1);
        byte[] x = new byte[n];
        byte[] y = new byte[n];
        r.nextBytes(x);
        r.nextBytes(y);
        byte[] out = new byte[n];
        a = QTensor.of(x, new int[]{n}, QParams.perTensor(0.031, 3, DType.QUINT8));
        b = QTensor.of(y, new int[]{n}, QParams.perTensor(0.047, 120, DType.QUINT8));
        QnnpackAdd qnnpack = new QnnpackAdd("Add", 0.031f, 3, 0.047f, 120, 0.052f);
        System.out.println("lanes=" + QuantizedBinaryKernels.LANES + " enabled=" + QuantizedBinaryKernels.ENABLED);
        System.out.println("kernel,n,vector_ns_per_elem,twin_ns_per_elem,twin_over_vector");
        for (int k = 0; k < NAMES.length; k++) {
            double[][] t = new double[2][rounds];
            for (int warm = 0; warm < 200; warm++) {
                run(k, true, x, y, out, qnnpack);
                run(k, false, x, y, out, qnnpack);
            }
            for (int round = 0; round < rounds; round++) {
                for (int v = 0; v < 2; v++) { // interleaved: vector, twin in every round
                    int reps = 10;
                    long t0 = System.nanoTime();
                    for (int rep = 0; rep < reps; rep++) {
                        run(k, v == 0, x, y, out, qnnpack);
                    }
                    t[v][round] = (System.nanoTime() - t0) / (double) reps / n;
                }
            }
            double vec = median(t[0]);
            double twin = median(t[1]);
            System.out.printf("%s,%d,%.3f,%.3f,%.1f%n", NAMES[k], n, vec, twin, twin / vec);
        }
    }

    private static void run(int kernel, boolean vector, byte[] x, byte[] y, byte[] out, QnnpackAdd qnnpack) {
        if (vector) {
            runVector(kernel, x, y, out, qnnpack);
        } else {
            runTwin(kernel, x, y, out, qnnpack);
        }
        sink = out[out.length - 1];
    }

    // the parameters of a typical residual add: operand scales ~0.03-0.05, ReLU
    private static void runVector(int kernel, byte[] x, byte[] y, byte[] out, QnnpackAdd qnnpack) {
        int n = x.length;
        switch (kernel) {
            case 0 -> {
                int i = QuantizedBinaryKernels.atenAdd(x, y, out, 0, n, 0.031f, -0.093f, 0.047f, -5.64f, 1 / 0.052f, 7, true);
                QAdd.atenBlocksScalar(x, y, out, i, n, 0.031f, -0.093f, 0.047f, -5.64f, 1 / 0.052f, 7, true);
            }
            case 1 -> qnnpack.apply(x, y, out, 0, n, 7, 7);
            case 3 -> out[n - 1] = OP.forward(a, b, Engines.reference()).bytes()[n - 1];
            default -> {
                int i = QuantizedBinaryKernels.mul(x, y, out, 0, n, 3, 120, 0.0015f, 7, false);
                QMul.mulScalar(x, y, out, i, n, 3, 120, 0.0015f, 7, false);
            }
        }
    }

    private static void runTwin(int kernel, byte[] x, byte[] y, byte[] out, QnnpackAdd qnnpack) {
        int n = x.length;
        switch (kernel) {
            case 0, 3 -> QAdd.atenBlocksScalar(x, y, out, 0, n, 0.031f, -0.093f, 0.047f, -5.64f, 1 / 0.052f, 7, true);
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) qnnpack.apply(x[i] & 0xFF, y[i] & 0xFF, 7, 7);
                }
            }
            default -> QMul.mulScalar(x, y, out, 0, n, 3, 120, 0.0015f, 7, false);
        }
    }

    private static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
