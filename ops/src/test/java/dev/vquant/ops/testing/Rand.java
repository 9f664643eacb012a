package dev.vquant.ops.testing;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;

import java.util.Random;

/** Seeded random tensors for properties, with the byte extremes (0, 255, -128, 127) mixed in. */
public final class Rand {
    private final Random r;

    public Rand(long seed) {
        this.r = new Random(seed);
    }

    public int nextInt(int lo, int hiInclusive) {
        return lo + r.nextInt(hiInclusive - lo + 1);
    }

    public boolean nextBoolean() {
        return r.nextBoolean();
    }

    /** A positive scale spread over three decades. */
    public double scale(double lo, double hi) {
        return lo * Math.pow(hi / lo, r.nextDouble());
    }

    public float uniform(float lo, float hi) {
        return lo + (hi - lo) * r.nextFloat();
    }

    public float[] floats(int n, float lo, float hi) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = uniform(lo, hi);
        }
        return f;
    }

    /** quint8 values, ~10% at 0 or 255. */
    public byte[] quint8(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int p = r.nextInt(20);
            b[i] = (byte) (p == 0 ? 0 : p == 1 ? 255 : r.nextInt(256));
        }
        return b;
    }

    /** qint8 values, ~10% at -128 or 127. */
    public byte[] qint8(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            int p = r.nextInt(20);
            b[i] = (byte) (p == 0 ? -128 : p == 1 ? 127 : r.nextInt(256) - 128);
        }
        return b;
    }

    public QTensor activation(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return QTensor.of(quint8(n), shape, QParams.perTensor(scale(0.002, 0.1), nextInt(0, 255), DType.QUINT8));
    }

    /** qint8 weight {@code shape}, per tensor or per channel along axis 0, random small zero points. */
    public QTensor weight(int[] shape, boolean perChannel) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        QParams q;
        if (perChannel) {
            double[] s = new double[shape[0]];
            int[] z = new int[shape[0]];
            for (int i = 0; i < s.length; i++) {
                s[i] = scale(0.001, 0.05);
                z[i] = nextInt(-4, 4);
            }
            q = QParams.perChannel(s, z, 0, DType.QINT8);
        } else {
            q = QParams.perTensor(scale(0.001, 0.05), nextInt(-4, 4), DType.QINT8);
        }
        return QTensor.of(qint8(n), shape, q);
    }
}
