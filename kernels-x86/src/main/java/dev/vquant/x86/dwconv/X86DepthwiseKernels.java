package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.spi.VectorWidth;

/**
 * The "fbgemm" engine's int8 depthwise family at one vector width. Validates every call, then
 * runs the width's kernels. Exact int32 accumulation; requantization bit-exact with
 * {@link Requantization#apply}. Stateless and thread-safe.
 */
public final class X86DepthwiseKernels implements DepthwiseKernels {
    static final String ENGINE = "fbgemm";
    private final VectorWidth width;

    /**
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
    public void convInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                          ConvGeometry g, int rowStart, int rowEnd, int[] out) {
        X86PackedDepthwiseWeights pw = packed(weights);
        KernelArgs.checkActivationZeroPoint(aZeroPoint);
        DepthwiseCall s = DepthwiseCall.check(x, x == null ? 0 : x.length, batch, h, w, pw.channels(), pw.kernelH(),
                pw.kernelW(), g, rowStart, rowEnd, out, out == null ? 0 : out.length);
        DwDriver.conv(width == VectorWidth.V512, x, new DwPlan(s, g), pw, aZeroPoint, null, rowStart, rowEnd, out, null);
    }

    @Override
    public void convRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                               ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out) {
        X86PackedDepthwiseWeights pw = packed(weights);
        KernelArgs.checkActivationZeroPoint(aZeroPoint);
        if (rq == null || rq.channels() != pw.channels()) {
            throw new IllegalArgumentException("requantization must have " + pw.channels() + " channels, got "
                    + (rq == null ? "null" : rq.channels()));
        }
        DepthwiseCall s = DepthwiseCall.check(x, x == null ? 0 : x.length, batch, h, w, pw.channels(), pw.kernelH(),
                pw.kernelW(), g, rowStart, rowEnd, out, out == null ? 0 : out.length);
        DwDriver.conv(width == VectorWidth.V512, x, new DwPlan(s, g), pw, aZeroPoint, rq, rowStart, rowEnd, null, out);
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
