package dev.vquant.engine.reference;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;

import java.util.Arrays;

/**
 * Scalar int8 depthwise convolution (NHWC, channel multiplier 1), any kernel size, stride,
 * padding and dilation: the oracle of every {@link DepthwiseKernels}.
 * <pre>acc[n][oy][ox][c] = sum_{ky,kx} (X[n][iy][ix][c] - zA) * (W[c][ky][kx] - zW[c])</pre>
 * with {@code iy = oy*strideH - padH + ky*dilationH}, {@code ix = ox*strideW - padW + kx*dilationW};
 * taps outside the image are skipped (they would contribute {@code (zA - zA) * ... = 0}).
 * int32 arithmetic, exact: {@code |acc| <= 255 * 255 * kh * kw}. Thread-safe.
 */
public final class DepthwiseReference implements DepthwiseKernels {

    /** Creates the scalar depthwise kernels; stateless, so one instance (each {@link ReferenceBackend} makes one) serves all threads. */
    public DepthwiseReference() {
    }

    @Override
    public PackedDepthwiseWeights pack(byte[] w, int channels, int kh, int kw, int[] zeroPoints) {
        KernelArgs.checkPositive("channels", channels);
        KernelArgs.checkPositive("kernel height", kh);
        KernelArgs.checkPositive("kernel width", kw);
        int taps = ReferenceArgs.product("kernel " + kh + "x" + kw, kh, kw);
        KernelArgs.checkMatrix("depthwise weights", ReferenceArgs.length(w, "weight"), 0, channels, taps, taps);
        KernelArgs.checkWeightZeroPoints(zeroPoints, channels);
        int[] zps = new int[channels];
        for (int c = 0; c < channels; c++) {
            zps[c] = zeroPoints[zeroPoints.length == 1 ? 0 : c];
        }
        return new ReferenceDepthwiseWeights(Arrays.copyOf(w, channels * taps), channels, kh, kw, zps);
    }

    @Override
    public void runInt32(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                         ConvGeometry g, int rowStart, int rowEnd, int[] out) {
        ReferenceDepthwiseWeights pw = ReferenceArgs.packed(weights, ReferenceDepthwiseWeights.class);
        assert KernelArgs.validDepthwise(x, batch, h, w, aZeroPoint, weights, g, rowStart, rowEnd, out.length);
        DepthwiseShape s = DepthwiseShape.of(batch, h, w, pw.channels(), g, rowStart, rowEnd);
        for (int row = rowStart; row < rowEnd; row++) {
            for (int ox = 0; ox < s.outW(); ox++) {
                for (int c = 0; c < s.channels(); c++) {
                    out[s.outputIndex(row, ox, c)] = accumulator(x, s, aZeroPoint, pw, g, row, ox, c);
                }
            }
        }
    }

    @Override
    public void runRequantize(byte[] x, int batch, int h, int w, int aZeroPoint, PackedDepthwiseWeights weights,
                              ConvGeometry g, Requantization rq, int rowStart, int rowEnd, byte[] out) {
        ReferenceDepthwiseWeights pw = ReferenceArgs.packed(weights, ReferenceDepthwiseWeights.class);
        assert KernelArgs.validDepthwise(x, batch, h, w, aZeroPoint, weights, g, rowStart, rowEnd, out.length)
                && rq.channels() == pw.channels();
        DepthwiseShape s = DepthwiseShape.of(batch, h, w, pw.channels(), g, rowStart, rowEnd);
        for (int row = rowStart; row < rowEnd; row++) {
            for (int ox = 0; ox < s.outW(); ox++) {
                for (int c = 0; c < s.channels(); c++) {
                    out[s.outputIndex(row, ox, c)] = (byte) rq.apply(accumulator(x, s, aZeroPoint, pw, g, row, ox, c), c);
                }
            }
        }
    }

    /** The exact accumulator of output {@code [row][ox][c]}, skipping taps in the padding. */
    private static int accumulator(byte[] x, DepthwiseShape s, int aZeroPoint, ReferenceDepthwiseWeights pw,
                                   ConvGeometry g, int row, int ox, int c) {
        int n = row / s.outH();
        int oy = row % s.outH();
        int zW = pw.zeroPoint(c);
        int acc = 0;
        for (int ky = 0; ky < pw.kernelH(); ky++) {
            int iy = oy * g.strideH() - g.padH() + ky * g.dilationH();
            if (iy < 0 || iy >= s.h()) {
                continue;
            }
            for (int kx = 0; kx < pw.kernelW(); kx++) {
                int ix = ox * g.strideW() - g.padW() + kx * g.dilationW();
                if (ix < 0 || ix >= s.w()) {
                    continue;
                }
                int xv = x[s.inputIndex(n, iy, ix, c)] & 0xFF;
                acc += (xv - aZeroPoint) * (pw.weight(c, ky, kx) - zW);
            }
        }
        return acc;
    }
}
