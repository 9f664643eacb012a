package dev.vquant.arm.depthwise;

import dev.vquant.arm.ArmBackend;
import dev.vquant.arm.output.OutputStages;
import dev.vquant.arm.output.RowOutput;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;

import java.util.Arrays;

/**
 * The qnnpack engine's int8 depthwise convolution (NHWC, channel multiplier 1): 3x3 kernels in
 * one pass ({@link DepthwiseUp8x9V128}), every other size, 5x5 included, in passes of 9 taps
 * through an int32 buffer ({@link DepthwiseMp8x9V128}); any stride, padding and dilation, per
 * tensor or per channel zero points. Each output pixel's accumulators go straight from the
 * per-thread buffer through the fused output stage.
 *
 * <p>The input rows a call reads are converted once per call, image by image, to 16-bit
 * {@code x - 127} in per-thread scratch ({@link InputOffsetV128}): each input element feeds up to
 * {@code kh*kw} taps, so converting it once instead of per tap removes two of the kernel's
 * operations per tap. Padding taps read a row of {@code zA - 127}, which contributes exactly
 * nothing. Thread-safe; per-thread scratch only (one image of 16-bit input, one row of
 * accumulators). The SPI's entry points validate a call once
 * ({@link KernelArgs#checkDepthwiseCall}); the {@code run...} kernels here assert that and
 * check only that the weights are this engine's.
 */
public final class DepthwiseKernelsV128 implements DepthwiseKernels {
    /** Creates the kernels; per-thread buffers are allocated on each thread's first call. */
    public DepthwiseKernelsV128() {
    }

    /** One thread's reusable buffers. */
    private static final class Scratch {
        final OutputStages stages = new OutputStages();
        int[] acc = new int[0];
        int[] off = new int[0];
        short[][] src = new short[0][];
        /** The input rows of one image as {@code x - 127}, same layout as one image of x. */
        short[] input = new short[0];
        /** A row of {@code zA - 127}: what padding taps read. */
        short[] zeroRow = new short[0];

        void ensure(int channels, int taps, int imageSize) {
            if (acc.length < channels) {
                acc = new int[channels];
            }
            if (off.length < Math.max(taps, 9)) {
                off = new int[Math.max(taps, 9)];
                src = new short[off.length][];
            }
            if (input.length < imageSize) {
                input = new short[imageSize];
            }
            if (zeroRow.length < channels) {
                zeroRow = new short[channels];
            }
        }
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    @Override
    public PackedDepthwiseV128 pack(byte[] w, int channels, int kh, int kw, int[] zeroPoints) {
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
        KernelArgs.checkWeightZeroPoints(zeroPoints, channels);
        return new PackedDepthwiseV128(w, channels, kh, kw, zeroPoints);
    }

    @Override
    public void runInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                         ConvGeometry g, int rowStart, int rowEnd, int[] out) {
        PackedDepthwiseV128 p = checkWeights(weights);
        assert KernelArgs.validDepthwise(x, batch, h, w, aZeroPoint, weights, g, rowStart, rowEnd, out.length);
        Scratch s = scratch.get();
        run(x, h, w, aZeroPoint, p, g, rowStart, rowEnd, s, s.stages.int32(out));
    }

    @Override
    public void runRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                              ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out) {
        PackedDepthwiseV128 p = checkWeights(weights);
        assert KernelArgs.validDepthwise(x, batch, h, w, aZeroPoint, weights, g, rowStart, rowEnd, out.length)
                && rq.channels() == p.channels;
        Scratch s = scratch.get();
        run(x, h, w, aZeroPoint, p, g, rowStart, rowEnd, s, s.stages.requantize(rq, out));
    }

    private static PackedDepthwiseV128 checkWeights(PackedDepthwiseWeights weights) {
        KernelArgs.checkPackedFor(weights, ArmBackend.NAME);
        if (!(weights instanceof PackedDepthwiseV128 p)) {
            throw new IllegalArgumentException("depthwise weights are marked '" + ArmBackend.NAME
                    + "' but were not packed by " + DepthwiseKernelsV128.class.getSimpleName() + ": "
                    + weights.getClass().getName());
        }
        return p;
    }

    private static void run(byte[] x, int h, int w, int aZeroPoint, PackedDepthwiseV128 p, ConvGeometry g, int rowStart,
                            int rowEnd, Scratch s, RowOutput out) {
        int channels = p.channels;
        int outH = g.outH(h);
        int outW = g.outW(w);
        int image = h * w * channels;
        s.ensure(channels, p.taps, image);
        int[] acc = s.acc;
        int[] off = s.off;
        short[][] src = s.src;
        short[] input = s.input;
        short[] zeroRow = s.zeroRow;
        Arrays.fill(zeroRow, 0, channels, (short) (aZeroPoint - 127));
        boolean unipass = p.taps == 9;
        int r = rowStart;
        while (r < rowEnd) {
            int n = r / outH;
            int imageEnd = Math.min(rowEnd, (n + 1) * outH);
            // this image's input rows that the output rows [r, imageEnd) read, as x - 127
            int oyFirst = r - n * outH;
            int oyLast = imageEnd - 1 - n * outH;
            int iyFirst = Math.max(0, oyFirst * g.strideH() - g.padH());
            int iyEnd = Math.min(h, oyLast * g.strideH() - g.padH() + (p.kernelH - 1) * g.dilationH() + 1);
            if (iyFirst < iyEnd) {
                InputOffsetV128.convert(x, n * image + iyFirst * w * channels, input, iyFirst * w * channels,
                        (iyEnd - iyFirst) * w * channels);
            }
            for (; r < imageEnd; r++) {
                int oy = r - n * outH;
                for (int ox = 0; ox < outW; ox++) {
                    // offsets within the image (n = 0): the converted rows hold one image
                    DepthwiseGeometry.taps(g, h, w, channels, 0, oy, ox, off);
                    for (int t = 0; t < p.taps; t++) {
                        if (off[t] < 0) {
                            src[t] = zeroRow;
                            off[t] = 0;
                        } else {
                            src[t] = input;
                        }
                    }
                    if (unipass) {
                        DepthwiseUp8x9V128.run(src, off, p, aZeroPoint, acc);
                    } else {
                        DepthwiseMp8x9V128.run(src, off, p, aZeroPoint, acc);
                    }
                    out.row(acc, 0, 0, channels, (r * outW + ox) * channels);
                }
            }
        }
    }
}
