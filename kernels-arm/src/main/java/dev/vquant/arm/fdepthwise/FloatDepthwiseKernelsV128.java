package dev.vquant.arm.fdepthwise;

import dev.vquant.arm.ArmBackend;
import dev.vquant.arm.depthwise.DepthwiseGeometry;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;

/**
 * The qnnpack engine's float32 depthwise convolution (NHWC, channel multiplier 1), the baseline
 * of the int8 one: 3x3 on {@link FDepthwiseUp8x9V128}, other sizes on {@link FDepthwiseUp8V128},
 * bias and clamp fused; padding taps read a zero row. Thread-safe; per-thread scratch only.
 */
public final class FloatDepthwiseKernelsV128 implements FloatDepthwiseKernels {
    /** Creates the kernels; per-thread buffers are allocated on each thread's first call. */
    public FloatDepthwiseKernelsV128() {
    }


    /** One thread's reusable buffers. */
    private static final class Scratch {
        int[] off = new int[0];
        float[][] src = new float[0][];
        float[] zeroRow = new float[0];

        void ensure(int channels, int taps) {
            if (off.length < Math.max(taps, 9)) {
                off = new int[Math.max(taps, 9)];
                src = new float[off.length][];
            }
            if (zeroRow.length < channels) {
                zeroRow = new float[channels];
            }
        }
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    @Override
    public PackedFloatDepthwiseV128 pack(float[] w, int channels, int kh, int kw) {
        if (w == null) {
            throw new IllegalArgumentException("weight array must not be null");
        }
        KernelArgs.checkPositive("channels", channels);
        KernelArgs.checkPositive("kernel height", kh);
        KernelArgs.checkPositive("kernel width", kw);
        if ((long) channels * kh * kw > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("depthwise weights [" + channels + "][" + kh + "][" + kw + "] are too large");
        }
        KernelArgs.checkRange("depthwise weights [" + channels + "][" + kh + "][" + kw + "]", w.length, 0, channels * kh * kw);
        return new PackedFloatDepthwiseV128(w, channels, kh, kw);
    }

    @Override
    public void run(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights, ConvGeometry g,
                    float[] bias, float clampMin, float clampMax, int rowStart, int rowEnd, float[] out) {
        KernelArgs.checkPackedFor(weights, ArmBackend.NAME);
        if (!(weights instanceof PackedFloatDepthwiseV128 p)) {
            throw new IllegalArgumentException("depthwise weights are marked '" + ArmBackend.NAME
                    + "' but were not packed by " + FloatDepthwiseKernelsV128.class.getSimpleName() + ": "
                    + weights.getClass().getName());
        }
        assert KernelArgs.validFloatDepthwise(x, batch, h, w, weights, g, bias, clampMin, clampMax, rowStart, rowEnd,
                out.length);
        int channels = p.channels;
        int outH = g.outH(h);
        int outW = g.outW(w);
        Scratch s = scratch.get();
        s.ensure(channels, p.taps);
        int[] off = s.off;
        float[][] src = s.src;
        boolean unipass = p.taps == 9;
        for (int r = rowStart; r < rowEnd; r++) {
            int n = r / outH;
            int oy = r - n * outH;
            for (int ox = 0; ox < outW; ox++) {
                DepthwiseGeometry.taps(g, h, w, channels, n, oy, ox, off);
                for (int t = 0; t < p.taps; t++) {
                    if (off[t] < 0) {
                        src[t] = s.zeroRow;
                        off[t] = 0;
                    } else {
                        src[t] = x;
                    }
                }
                int outOff = (r * outW + ox) * channels;
                if (unipass) {
                    FDepthwiseUp8x9V128.run(src, off, p, bias, clampMin, clampMax, out, outOff);
                } else {
                    FDepthwiseUp8V128.run(src, off, p, bias, clampMin, clampMax, out, outOff);
                }
            }
        }
    }
}
