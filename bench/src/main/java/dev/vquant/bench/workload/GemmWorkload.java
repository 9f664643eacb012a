package dev.vquant.bench.workload;

import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.Requantization;

import java.util.SplittableRandom;

/**
 * A Linear layer / GEMM: {@code C[M][N] = A[M][K] * W[N][K]^T + bias}, float32 on the engine's float
 * GEMM against quint8 x qint8 -> quint8 (requantized, per-channel weight scales) on its int8 GEMM.
 * {@code activationMax} 127 makes 7-bit activations (fbgemm's reduce_range), 255 full range.
 */
public final class GemmWorkload implements Workload {
    private final String id;
    private final int m;
    private final int n;
    private final int k;
    private final int aZeroPoint;
    private final float[] aFloat;
    private final float[] bias;
    private final float[] cFloat;
    private final byte[] aQuant;
    private final byte[] cQuant;
    private final FloatGemmKernels floatGemm;
    private final PackedFloatWeights wFloat;
    private final QGemmKernels qgemm;
    private final PackedQGemmWeights wQuant;
    private final Requantization rq;

    /**
     * A workload with seeded random activations, weights and bias (the same data on every run and engine).
     *
     * @param id the case's id
     * @param engine the kernel backend whose float GEMM and int8 GEMM run
     * @param m rows of {@code A}
     * @param k the reduction length
     * @param n output columns
     * @param activationMax the largest quint8 activation: 127 for 7-bit (reduce_range), 255 for full range
     */
    public GemmWorkload(String id, KernelBackend engine, int m, int k, int n, int activationMax) {
        this.id = id;
        this.m = m;
        this.n = n;
        this.k = k;
        SplittableRandom rnd = new SplittableRandom(42);
        aFloat = new float[m * k];
        aQuant = new byte[m * k];
        for (int i = 0; i < aFloat.length; i++) {
            int q = rnd.nextInt(activationMax + 1);
            aQuant[i] = (byte) q;
            aFloat[i] = (q - activationMax / 2) * 0.02f;
        }
        aZeroPoint = activationMax / 2;
        float[] w = new float[n * k];
        byte[] wq = new byte[n * k];
        for (int i = 0; i < w.length; i++) {
            int q = rnd.nextInt(256) - 128;
            wq[i] = (byte) q;
            w[i] = q * 0.01f;
        }
        bias = new float[n];
        double[] wScales = new double[n];
        for (int j = 0; j < n; j++) {
            bias[j] = (float) (rnd.nextDouble() - 0.5);
            wScales[j] = 0.01 * (1 + rnd.nextDouble() * 0.1);
        }
        cFloat = new float[m * n];
        cQuant = new byte[m * n];
        floatGemm = engine.floatGemm();
        wFloat = floatGemm.pack(w, n, k);
        qgemm = engine.qgemm();
        wQuant = qgemm.pack(wq, n, k, new int[] {0});
        double outScale = 0.02 * 0.01 * Math.sqrt(k) * activationMax / 4;
        rq = Numerics.requantization(engine, 0.02, wScales, bias, outScale, 128, n);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void runFloat() {
        floatGemm.gemm(aFloat, 0, k, m, wFloat, 0, n, bias, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, cFloat, 0, n);
    }

    @Override
    public void runInt8() {
        qgemm.gemmRequantize(aQuant, 0, k, m, aZeroPoint, wQuant, 0, n, rq, cQuant, 0, n);
    }

    @Override
    public long checksum() {
        return Float.floatToRawIntBits(cFloat[cFloat.length - 1]) + cQuant[cQuant.length - 1];
    }
}
