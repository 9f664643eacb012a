package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.spi.VectorWidth;

/**
 * The "fbgemm" engine's int8 depthwise family at one vector width (V512 or V256): NHWC,
 * channel multiplier 1, any kernel size, stride, padding and dilation. The SPI's entry points
 * validate a call once ({@link KernelArgs#checkDepthwiseCall}); the {@code run...} kernels here
 * assert that, check only that the weights are this engine's, and run {@link DwDriver}.
 *
 * <p>Arithmetic: activations are zero-extended to 16 bits and multiplied by
 * {@code v = W - zW} in 16-bit lanes; a pair of taps (or a single tap when the weights do not
 * allow pairs, see {@link X86PackedDepthwiseWeights}) is summed in 16 bits with an offset that
 * makes the sum an exact unsigned 16-bit value, then widened exactly into int32 accumulators;
 * the zero points enter as per-channel constants, so the int32 result equals
 * {@code sum (X - zA)(W - zW)} (mod 2^32, like the reference). 3x3 and 5x5 windows without
 * dilation run the pair passes of {@link DwConvPairsV512}/{@link DwConvPairsV256}; other shapes
 * run {@link DwConvGeneralV512}/{@link DwConvGeneralV256}. The requantization epilogue
 * ({@link DwRequantizeV512}/{@link DwRequantizeV256}) is bit-exact with
 * {@link Requantization#apply} in all three modes.
 *
 * <p>Stateless and thread-safe: per-call buffers are per-thread ({@link DwScratch}), so callers
 * may split the output rows across threads.
 */
public final class X86DepthwiseKernels implements DepthwiseKernels {
    static final String ENGINE = "fbgemm";
    private final VectorWidth width;

    /**
     * Creates the fbgemm engine's int8 depthwise convolution at one vector width; the width's kernel classes load here.
     *
     * @param width {@link VectorWidth#V512} or {@link VectorWidth#V256}
     * @throws IllegalArgumentException for any other width
     */
    public X86DepthwiseKernels(VectorWidth width) {
        this.width = Widths.require(width, "x86 depthwise");
    }

    @Override
    public PackedDepthwiseWeights pack(byte[] w, int channels, int kh, int kw, int[] zeroPoints) {
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
        KernelArgs.checkWeightZeroPoints(zeroPoints, channels);
        int lanes = width.bits() / 16;
        int stride = (channels + lanes - 1) / lanes * lanes;
        return new X86PackedDepthwiseWeights(width, w, channels, kh, kw, zeroPoints, stride);
    }

    @Override
    public void runInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                         ConvGeometry g, int rowStart, int rowEnd, int[] out) {
        X86PackedDepthwiseWeights pw = packed(weights);
        assert KernelArgs.validDepthwise(x, batch, h, w, aZeroPoint, weights, g, rowStart, rowEnd, out.length);
        DwPlan plan = DwScratch.get().plan.init(batch, h, w, pw.channels(), g);
        DwDriver.conv(width == VectorWidth.V512, x, plan, pw, aZeroPoint, null, rowStart, rowEnd, out, null);
    }

    @Override
    public void runRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                              ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out) {
        X86PackedDepthwiseWeights pw = packed(weights);
        assert KernelArgs.validDepthwise(x, batch, h, w, aZeroPoint, weights, g, rowStart, rowEnd, out.length)
                && rq.channels() == pw.channels();
        DwPlan plan = DwScratch.get().plan.init(batch, h, w, pw.channels(), g);
        DwDriver.conv(width == VectorWidth.V512, x, plan, pw, aZeroPoint, rq, rowStart, rowEnd, null, out);
    }

    private X86PackedDepthwiseWeights packed(PackedDepthwiseWeights weights) {
        KernelArgs.checkPackedFor(weights, ENGINE);
        if (!(weights instanceof X86PackedDepthwiseWeights pw)) {
            throw new IllegalArgumentException("weights claim engine '" + ENGINE + "' but are a "
                    + weights.getClass().getName() + ", not this packer's layout");
        }
        if (pw.width() != width) {
            throw new IllegalArgumentException("weights were packed for " + pw.width() + " but run on " + width
                    + " kernels; repack them");
        }
        return pw;
    }
}
