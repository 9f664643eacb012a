package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * int8 depthwise weights packed for the "fbgemm" kernels: {@code v[tap][c] = W[c][tap] - zW[c]}
 * as 16-bit values, tap-major with the channel dimension padded to {@link #stride()} (zeros), so
 * a kernel loads one vector of channels per tap. Immutable.
 */
final class X86PackedDepthwiseWeights implements PackedDepthwiseWeights {
    private final VectorWidth width;
    private final int channels;
    private final int kernelH;
    private final int kernelW;
    private final int[] zeroPoints;
    private final int stride;
    private final short[] taps;
    private final int[] tapSums;

    X86PackedDepthwiseWeights(VectorWidth width, byte[] w, int channels, int kernelH, int kernelW, int[] zeroPoints,
                              int stride) {
        this.width = width;
        this.channels = channels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.stride = stride;
        int n = kernelH * kernelW;
        this.zeroPoints = new int[channels];
        this.taps = new short[n * stride];
        this.tapSums = new int[stride];
        for (int c = 0; c < channels; c++) {
            int zw = zeroPoints[zeroPoints.length == 1 ? 0 : c];
            this.zeroPoints[c] = zw;
            for (int t = 0; t < n; t++) {
                int v = w[c * n + t] - zw;
                taps[t * stride + c] = (short) v;
                tapSums[c] += v;
            }
        }
    }

    @Override
    public String engine() {
        return "fbgemm";
    }

    @Override
    public VectorWidth width() {
        return width;
    }

    @Override
    public long byteSize() {
        return 2L * taps.length + 4L * tapSums.length + 4L * zeroPoints.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int kernelH() {
        return kernelH;
    }

    @Override
    public int kernelW() {
        return kernelW;
    }

    @Override
    public int zeroPoint(int c) {
        return zeroPoints[c];
    }

    /** Padded channel count: the distance between two taps in {@link #taps()}. */
    int stride() {
        return stride;
    }

    /** {@code W[c][tap] - zW[c]} at {@code [tap * stride + c]}. Do not modify. */
    short[] taps() {
        return taps;
    }

    /** {@code sum_tap (W[c][tap] - zW[c])} per channel. Do not modify. */
    int[] tapSums() {
        return tapSums;
    }
}
