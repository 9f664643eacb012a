package dev.vquant.bench.peers;

import java.util.SplittableRandom;

/**
 * Deterministic inputs shared by vquant and a peer: uniform quint8 activations (zero point
 * {@value #X_ZERO_POINT}), uniform qint8 weights (zero point 0, one scale per tensor), float
 * activations in [-2, 2), and the quantization parameters of every case.
 */
final class PeerData {
    static final double X_SCALE = 0.02;
    static final int X_ZERO_POINT = 120;
    static final double W_SCALE = 0.01;
    static final int Y_ZERO_POINT = 128;

    private final SplittableRandom rnd;

    PeerData(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /** quint8 values 0..255. */
    byte[] uint8(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    /** qint8 values -128..127. */
    byte[] int8(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (rnd.nextInt(256) - 128);
        }
        return b;
    }

    /** Floats uniform in [lo, hi). */
    float[] floats(int n, double lo, double hi) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (lo + rnd.nextDouble() * (hi - lo));
        }
        return f;
    }

    /** The float weights the int8 ones stand for: {@code q * W_SCALE}. */
    static float[] dequantized(byte[] w) {
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = (float) (w[i] * W_SCALE);
        }
        return f;
    }

    /**
     * An output scale that keeps most requantized values inside quint8 for a reduction of length
     * {@code k} of uniform quint8 x qint8 (accumulator standard deviation about {@code 74^2 sqrt(k)}).
     */
    static double outScale(int k) {
        return X_SCALE * W_SCALE * Math.sqrt(k) * 100;
    }

    /** {@code a^T} of a row-major {@code rows x cols} byte matrix (ONNX's MatMul wants {@code W^T}). */
    static byte[] transpose(byte[] a, int rows, int cols) {
        byte[] t = new byte[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    /** NHWC {@code [1, h, w, c]} to NCHW {@code [1, c, h, w]}. */
    static float[] nhwcToNchw(float[] x, int h, int w, int c) {
        float[] y = new float[x.length];
        for (int i = 0; i < h * w; i++) {
            for (int ch = 0; ch < c; ch++) {
                y[ch * h * w + i] = x[i * c + ch];
            }
        }
        return y;
    }

    /** NCHW {@code [1, c, h, w]} to NHWC {@code [1, h, w, c]}. */
    static float[] nchwToNhwc(float[] x, int h, int w, int c) {
        float[] y = new float[x.length];
        for (int i = 0; i < h * w; i++) {
            for (int ch = 0; ch < c; ch++) {
                y[i * c + ch] = x[ch * h * w + i];
            }
        }
        return y;
    }
}
