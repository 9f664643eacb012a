package dev.vquant.bench.ratios;

import dev.vquant.bench.workload.CaseSpec;
import dev.vquant.bench.workload.Workload;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.rnn.Lstm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Operator-level cases (the ops module: threading, im2col, requantization, per-call activation
 * quantization included) for the ratio runner: the int8 operator against its float twin on the
 * same engine. Each case exists at 1 thread (the listed id) and 2 threads (selected as id +
 * {@code _t2}, reported under the plain id with 2 in the threads column).
 * Outputs are allocated per call, as the operators return fresh tensors.
 */
public final class OpCases {
    /** Suffix of the 2-thread cases' selection keys ({@code --case}); report rows drop it. */
    private static final String THREAD_SUFFIX = "_t2";

    private OpCases() {
    }

    /** {@return every operator-level case, first at 1 thread, then the same at 2 threads} */
    public static List<CaseSpec> all() {
        List<CaseSpec> cases = new ArrayList<>();
        for (int threads : new int[]{1, 2}) {
            String t = threads == 1 ? "" : THREAD_SUFFIX;
            for (int m : new int[]{1, 8, 32, 128}) {
                for (int n : new int[]{768, 3072}) {
                    String base = "op_linear_M" + m + "_K768_N" + n;
                    cases.add(spec(base + "_a7" + t, e -> linear(base + "_a7" + t, e, m, 768, n, 127, threads)));
                    cases.add(spec(base + "_a8" + t, e -> linear(base + "_a8" + t, e, m, 768, n, 255, threads)));
                    cases.add(spec(base + "_dyn" + t, e -> dynamicLinear(base + "_dyn" + t, e, m, 768, n, threads)));
                }
            }
            cases.add(spec("op_conv3x3_Ci64_Co64_H56" + t, e -> conv("op_conv3x3_Ci64_Co64_H56" + t, e, 64, 64, 56, 3, 1, 1, threads)));
            cases.add(spec("op_conv1x1_Ci256_Co64_H56" + t, e -> conv("op_conv1x1_Ci256_Co64_H56" + t, e, 256, 64, 56, 1, 1, 1, threads)));
            cases.add(spec("op_conv3x3_Ci256_Co256_H14" + t, e -> conv("op_conv3x3_Ci256_Co256_H14" + t, e, 256, 256, 14, 3, 1, 1, threads)));
            cases.add(spec("op_dw3x3_C144_H56_s1" + t, e -> conv("op_dw3x3_C144_H56_s1" + t, e, 144, 144, 56, 3, 1, 144, threads)));
            cases.add(spec("op_dw3x3_C144_H56_s2" + t, e -> conv("op_dw3x3_C144_H56_s2" + t, e, 144, 144, 56, 3, 2, 144, threads)));
            cases.add(spec("op_lstm_I256_H512_T32_B1" + t, e -> lstm("op_lstm_I256_H512_T32_B1" + t, e, 256, 512, 32, threads)));
        }
        return cases;
    }

    private static CaseSpec spec(String id, java.util.function.Function<KernelBackend, Workload> f) {
        return new CaseSpec(id, f);
    }

    /** A workload from two runs and a checksum of the last outputs. */
    private record OpWorkload(String id, int threads, Runnable floatRun, Runnable int8Run, LongSupplier sum) implements Workload {
        /** Rows report the case id without the selection key's thread suffix: threads has its own column. */
        OpWorkload {
            if (id.endsWith(THREAD_SUFFIX)) {
                id = id.substring(0, id.length() - THREAD_SUFFIX.length());
            }
        }

        @Override
        public void runFloat() {
            floatRun.run();
        }

        @Override
        public void runInt8() {
            int8Run.run();
        }

        @Override
        public long checksum() {
            return sum.getAsLong();
        }
    }

    private static final class Data {
        final SplittableRandom rnd = new SplittableRandom(42);

        QTensor weight(int... shape) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            byte[] w = new byte[n];
            double[] s = new double[shape[0]];
            for (int i = 0; i < n; i++) {
                w[i] = (byte) (rnd.nextInt(256) - 128);
            }
            for (int i = 0; i < s.length; i++) {
                s[i] = 0.01 * (1 + rnd.nextDouble() * 0.1);
            }
            return QTensor.of(w, shape, QParams.perChannel(s, new int[s.length], 0, DType.QINT8));
        }

        FloatTensor dequantized(QTensor w) {
            float[] f = new float[w.numel()];
            int per = f.length / w.dim(0);
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) (w.intAt(i) * w.qparams().scale(i / per));
            }
            return FloatTensor.of(f, w.shape());
        }

        QTensor activation(int max, int... shape) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            byte[] a = new byte[n];
            for (int i = 0; i < n; i++) {
                a[i] = (byte) rnd.nextInt(max + 1);
            }
            return QTensor.of(a, shape, QParams.perTensor(0.02, max / 2, DType.QUINT8));
        }

        FloatTensor floats(int... shape) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) (rnd.nextDouble() * 4 - 2);
            }
            return FloatTensor.of(f, shape);
        }

        float[] bias(int n) {
            float[] b = new float[n];
            for (int i = 0; i < n; i++) {
                b[i] = (float) (rnd.nextDouble() - 0.5);
            }
            return b;
        }
    }

    private static Workload linear(String id, KernelBackend e, int m, int k, int n, int activationMax, int threads) {
        Data d = new Data();
        QTensor w = d.weight(n, k);
        float[] bias = d.bias(n);
        QLinear q = QLinear.builder(w).bias(bias).output(0.1, 128).threads(threads).engine(e).build();
        FloatLinear f = FloatLinear.builder(d.dequantized(w)).bias(bias).threads(threads).engine(e).build();
        QTensor x = d.activation(activationMax, m, k);
        FloatTensor xf = d.floats(m, k);
        long[] last = new long[2];
        return new OpWorkload(id, threads, () -> last[0] = Float.floatToIntBits(f.forward(xf, e).data()[0]),
                () -> last[1] = q.forward(x, e).bytes()[0], () -> last[0] + last[1]);
    }

    private static Workload dynamicLinear(String id, KernelBackend e, int m, int k, int n, int threads) {
        Data d = new Data();
        QTensor w = d.weight(n, k);
        float[] bias = d.bias(n);
        DynamicQLinear q = DynamicQLinear.builder(w).bias(bias).threads(threads).engine(e).build();
        FloatLinear f = FloatLinear.builder(d.dequantized(w)).bias(bias).threads(threads).engine(e).build();
        FloatTensor x = d.floats(m, k);
        long[] last = new long[2];
        return new OpWorkload(id, threads, () -> last[0] = Float.floatToIntBits(f.forward(x, e).data()[0]),
                () -> last[1] = Float.floatToIntBits(q.forward(x, e).data()[0]), () -> last[0] + last[1]);
    }

    private static Workload conv(String id, KernelBackend e, int cin, int cout, int size, int kernel, int stride, int groups,
                                 int threads) {
        Data d = new Data();
        ConvGeometry g = ConvGeometry.square(kernel, stride, kernel / 2);
        QTensor w = d.weight(cout, cin / groups, kernel, kernel);
        float[] bias = d.bias(cout);
        QConv2d q = QConv2d.builder(w, g).groups(groups).bias(bias).output(0.1, 128).relu(true).threads(threads).engine(e).build();
        FloatConv2d f = FloatConv2d.builder(d.dequantized(w), g)
                .groups(groups).bias(bias).relu(true).threads(threads).engine(e).build();
        QTensor x = d.activation(255, 1, size, size, cin);
        FloatTensor xf = d.floats(1, size, size, cin);
        long[] last = new long[2];
        return new OpWorkload(id, threads, () -> last[0] = Float.floatToIntBits(f.forward(xf, e).data()[0]),
                () -> last[1] = q.forward(x, e).bytes()[0], () -> last[0] + last[1]);
    }

    private static Workload lstm(String id, KernelBackend e, int in, int hidden, int steps, int threads) {
        Data d = new Data();
        QTensor wIh = d.weight(4 * hidden, in);
        QTensor wHh = d.weight(4 * hidden, hidden);
        float[] bIh = d.bias(4 * hidden);
        float[] bHh = d.bias(4 * hidden);
        Lstm q = Lstm.dynamicQuantized(List.of(wIh), List.of(wHh)).bias(List.of(bIh), List.of(bHh)).threads(threads).engine(e).build();
        Lstm f = Lstm.floating(List.of(d.dequantized(wIh)), List.of(d.dequantized(wHh)))
                .bias(List.of(bIh), List.of(bHh)).threads(threads).engine(e).build();
        FloatTensor x = d.floats(steps, 1, in);
        long[] last = new long[2];
        return new OpWorkload(id, threads, () -> last[0] = Float.floatToIntBits(f.forward(x, null, null, e).h().data()[0]),
                () -> last[1] = Float.floatToIntBits(q.forward(x, null, null, e).h().data()[0]), () -> last[0] + last[1]);
    }
}
