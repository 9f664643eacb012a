package dev.vquant.bench.workload;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;

import java.util.SplittableRandom;

/**
 * Depthwise convolution, batch 1, NHWC, "same" padding: float32 with bias against quint8 x
 * qint8 (per-channel) -> quint8 on the engine's depthwise kernels.
 */
public final class DepthwiseWorkload implements Workload {
    private final String id;
    private final int h;
    private final int w;
    private final int rows;
    private final int aZeroPoint = 100;
    private final ConvGeometry g;
    private final float[] xFloat;
    private final float[] bias;
    private final float[] yFloat;
    private final byte[] xQuant;
    private final byte[] yQuant;
    private final FloatDepthwiseKernels floatDw;
    private final PackedFloatDepthwiseWeights wFloat;
    private final DepthwiseKernels dw;
    private final PackedDepthwiseWeights wQuant;
    private final Requantization rq;

    /**
     * A workload with seeded random inputs, weights and bias (the same data on every run and engine).
     *
     * @param id the case's id
     * @param engine the kernel backend whose float and int8 depthwise kernels run
     * @param channels the channel count
     * @param size the input's height and width
     * @param kernel the square kernel's size (padding {@code kernel / 2})
     * @param stride the stride in both directions
     */
    public DepthwiseWorkload(String id, KernelBackend engine, int channels, int size, int kernel, int stride) {
        this.id = id;
        this.h = size;
        this.w = size;
        this.g = ConvGeometry.square(kernel, stride, kernel / 2);
        SplittableRandom rnd = new SplittableRandom(7);
        xFloat = new float[h * w * channels];
        xQuant = new byte[xFloat.length];
        for (int i = 0; i < xFloat.length; i++) {
            int q = rnd.nextInt(256);
            xQuant[i] = (byte) q;
            xFloat[i] = (q - aZeroPoint) * 0.02f;
        }
        int taps = kernel * kernel;
        float[] wf = new float[channels * taps];
        byte[] wq = new byte[wf.length];
        for (int i = 0; i < wf.length; i++) {
            int q = rnd.nextInt(256) - 128;
            wq[i] = (byte) q;
            wf[i] = q * 0.01f;
        }
        bias = new float[channels];
        double[] wScales = new double[channels];
        for (int c = 0; c < channels; c++) {
            bias[c] = (float) (rnd.nextDouble() - 0.5);
            wScales[c] = 0.01 * (1 + rnd.nextDouble() * 0.1);
        }
        rows = g.outH(h);
        int outLen = rows * g.outW(w) * channels;
        yFloat = new float[outLen];
        yQuant = new byte[outLen];
        floatDw = engine.floatDepthwise();
        wFloat = floatDw.pack(wf, channels, kernel, kernel);
        dw = engine.depthwise();
        wQuant = dw.pack(wq, channels, kernel, kernel, new int[] {0});
        rq = Numerics.requantization(engine, 0.02, wScales, bias, 0.02 * 0.01 * kernel * 40, 128, channels);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void runFloat() {
        floatDw.conv(xFloat, 1, h, w, wFloat, g, bias, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0, rows, yFloat);
    }

    @Override
    public void runInt8() {
        dw.convRequantize(xQuant, 1, h, w, aZeroPoint, wQuant, g, rq, 0, rows, yQuant);
    }

    @Override
    public long checksum() {
        return Float.floatToRawIntBits(yFloat[yFloat.length - 1]) + yQuant[yQuant.length - 1];
    }
}
