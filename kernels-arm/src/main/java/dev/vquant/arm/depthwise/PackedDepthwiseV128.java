package dev.vquant.arm.depthwise;

import dev.vquant.arm.ArmBackend;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * Depthwise int8 weights packed for the 128-bit kernels: tap-major, channels contiguous,
 * {@code w'[t][c] = W[c][t] - zB[c]} as 16-bit values ({@code -255..255}) at
 * {@code taps[t * stride + c]}, with {@code stride} the channel count rounded up to 8 (padding
 * zero). {@code tapSums[c] = sum_t w'[t][c]} serves the activation-offset correction. Folding the
 * zero point into the weights makes per-tensor and per-channel zero points one code path.
 * Immutable and safe to share.
 */
public final class PackedDepthwiseV128 implements PackedDepthwiseWeights {
    final int channels;
    final int kernelH;
    final int kernelW;
    final int taps;
    final int stride;
    final short[] weights;
    final int[] tapSums;
    final int[] zeroPoints;

    PackedDepthwiseV128(byte[] w, int channels, int kh, int kw, int[] zp) {
        this.channels = channels;
        this.kernelH = kh;
        this.kernelW = kw;
        this.taps = kh * kw;
        this.stride = (channels + 7) & ~7;
        this.weights = new short[taps * stride];
        this.tapSums = new int[stride];
        this.zeroPoints = new int[channels];
        for (int c = 0; c < channels; c++) {
            int z = zp[zp.length == 1 ? 0 : c];
            zeroPoints[c] = z;
            int sum = 0;
            for (int t = 0; t < taps; t++) {
                int v = w[c * taps + t] - z;
                weights[t * stride + c] = (short) v;
                sum += v;
            }
            tapSums[c] = sum;
        }
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

    @Override
    public String engine() {
        return ArmBackend.NAME;
    }

    @Override
    public VectorWidth width() {
        return VectorWidth.V128;
    }

    @Override
    public long byteSize() {
        return 2L * weights.length + 4L * (tapSums.length + zeroPoints.length);
    }

    @Override
    public String toString() {
        return "PackedDepthwiseV128[C=" + channels + ", " + kernelH + "x" + kernelW + "]";
    }
}
