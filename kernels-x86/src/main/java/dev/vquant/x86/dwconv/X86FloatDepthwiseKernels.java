package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * The "fbgemm" engine's float32 depthwise family at one vector width (the twin of
 * {@link X86DepthwiseKernels}, and the baseline the int8 family is measured against): NHWC,
 * channel multiplier 1, any geometry, bias and clamp fused. The SPI's entry point validates a
 * call once ({@link KernelArgs#checkFloatDepthwiseCall}); {@link #run} asserts that and runs
 * {@link FloatDwDriver}: FMA kernels vectorized over channels (16 per block at V512, 8 at V256)
 * with the weights of a block in registers ({@link FloatDwConv3x3V512}, {@link FloatDwConv5x5V512},
 * {@link FloatDwConvGeneralV512} and their V256 twins). Summation order differs from the
 * reference (bias first, FMA), so results agree within float rounding, not bit for bit.
 * Stateless and thread-safe (per-thread buffers).
 */
public final class X86FloatDepthwiseKernels implements FloatDepthwiseKernels {
    private final VectorWidth width;

    /**
     * Creates the fbgemm engine's float depthwise convolution at one vector width; the width's kernel classes load here.
     *
     * @param width {@link VectorWidth#V512} or {@link VectorWidth#V256}
     * @throws IllegalArgumentException for any other width
     */
    public X86FloatDepthwiseKernels(VectorWidth width) {
        this.width = Widths.require(width, "x86 float depthwise");
    }

    @Override
    public PackedFloatDepthwiseWeights pack(float[] w, int channels, int kh, int kw) {
        KernelArgs.checkPositive("channels", channels);
        KernelArgs.checkPositive("kernel height", kh);
        KernelArgs.checkPositive("kernel width", kw);
        if (w == null) {
            throw new IllegalArgumentException("weight array must not be null");
        }
        long taps = (long) kh * kw;
        if (taps * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("depthwise weights [" + channels + "][" + kh + "][" + kw
                    + "] have more than 2^31-1 elements");
        }
        KernelArgs.checkMatrix("depthwise weights", w.length, 0, channels, (int) taps, (int) taps);
        int lanes = width.bits() / 32;
        int stride = (channels + lanes - 1) / lanes * lanes;
        return new X86PackedFloatDepthwiseWeights(width, w, channels, kh, kw, stride);
    }

    @Override
    public void run(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights, ConvGeometry g,
                    float[] bias, float clampMin, float clampMax, int rowStart, int rowEnd, float[] out) {
        X86PackedFloatDepthwiseWeights pw = packed(weights);
        assert KernelArgs.validFloatDepthwise(x, batch, h, w, weights, g, bias, clampMin, clampMax, rowStart, rowEnd,
                out.length);
        DwPlan plan = DwScratch.get().plan.init(batch, h, w, pw.channels(), g);
        FloatDwDriver.conv(width == VectorWidth.V512, x, plan, pw, bias, clampMin, clampMax, rowStart, rowEnd, out);
    }

    private X86PackedFloatDepthwiseWeights packed(PackedFloatDepthwiseWeights weights) {
        KernelArgs.checkPackedFor(weights, X86DepthwiseKernels.ENGINE);
        if (!(weights instanceof X86PackedFloatDepthwiseWeights pw)) {
            throw new IllegalArgumentException("weights claim engine '" + X86DepthwiseKernels.ENGINE + "' but are a "
                    + weights.getClass().getName() + ", not this packer's layout");
        }
        if (pw.width() != width) {
            throw new IllegalArgumentException("weights were packed for " + pw.width() + " but run on " + width
                    + " kernels; repack them");
        }
        return pw;
    }
}
