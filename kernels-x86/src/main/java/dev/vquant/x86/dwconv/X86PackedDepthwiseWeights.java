package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * int8 depthwise weights packed for the "fbgemm" kernels: {@code v[tap][c] = W[c][tap] - zW[c]}
 * (in [-255, 255]) as 16-bit values, tap-major with the channel dimension padded to
 * {@link #stride()} (zeros), so a kernel loads one vector of channels per tap.
 *
 * <p>The kernels multiply unsigned activations by {@code v} in 16-bit lanes and add the products
 * of a group of taps (a pair, or a single tap) in 16 bits before widening. With the group offset
 * {@code K[g][c] = 255 * sum_{t in g} max(-v[t][c], 0)} the group sum
 * {@code P' = K + sum_{t in g} x_t * v[t][c]} lies in {@code [0, 255 * sum |v|]}, which fits an
 * unsigned 16-bit lane when {@code sum |v| <= 257}: always for single taps, and for pairs when
 * {@link #pairs()} is true (every tap pair of every channel satisfies it, e.g. whenever all
 * {@code |v| <= 128}, as with symmetric weights). Then
 * {@code acc = sum_g P'_g - kSum[c] - zA * tapSum[c]} exactly (mod 2^32, as the reference).
 * Immutable.
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
    private final boolean pairs;
    private final int groups;
    private final short[] groupOffsets;
    private final int[] offsetSums;

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
        boolean pairable = true;
        for (int c = 0; c < channels && pairable; c++) {
            for (int t = 0; t + 1 < n; t += 2) {
                if (Math.abs(taps[t * stride + c]) + Math.abs(taps[(t + 1) * stride + c]) > 257) {
                    pairable = false;
                    break;
                }
            }
        }
        this.pairs = pairable;
        this.groups = pairable ? (n + 1) / 2 : n;
        this.groupOffsets = new short[groups * stride];
        this.offsetSums = new int[stride];
        int size = pairable ? 2 : 1;
        for (int c = 0; c < channels; c++) {
            for (int g = 0; g < groups; g++) {
                int k = 0;
                for (int t = g * size; t < Math.min(n, (g + 1) * size); t++) {
                    k += 255 * Math.max(-taps[t * stride + c], 0);
                }
                groupOffsets[g * stride + c] = (short) k;
                offsetSums[c] += k;
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
        return 2L * taps.length + 2L * groupOffsets.length + 4L * (tapSums.length + offsetSums.length + zeroPoints.length);
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

    /** {@code sum_tap (W[c][tap] - zW[c])} per channel (padded to the stride). Do not modify. */
    int[] tapSums() {
        return tapSums;
    }

    /** True when taps are grouped in pairs (2g, 2g+1), false when every tap is its own group. */
    boolean pairs() {
        return pairs;
    }

    /** Number of tap groups. */
    int groups() {
        return groups;
    }

    /** {@code K[g][c]} (unsigned 16-bit) at {@code [g * stride + c]}. Do not modify. */
    short[] groupOffsets() {
        return groupOffsets;
    }

    /** {@code kSum[c] = sum_g K[g][c]} (padded to the stride). Do not modify. */
    int[] offsetSums() {
        return offsetSums;
    }
}
