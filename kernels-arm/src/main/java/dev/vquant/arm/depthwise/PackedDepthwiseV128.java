package dev.vquant.arm.depthwise;

import dev.vquant.arm.ArmBackend;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * Depthwise int8 weights packed for the 128-bit kernels: tap-major, channels contiguous, the raw
 * qint8 weight {@code W[c][t]} as a 16-bit value at {@code weights[t * stride + c]}, with
 * {@code stride} the channel count rounded up to 8 (padding zero). Per channel (padded):
 * {@code zeroPoints[c]} and {@code tapSums[c] = sum_t (W[c][t] - zB[c])} for the activation-offset
 * correction; {@link #symmetric} tells whether every zero point is 0, which lets the kernels skip
 * the weight-zero-point term. Immutable and safe to share.
 */
public final class PackedDepthwiseV128 implements PackedDepthwiseWeights {
    final int channels;
    final int kernelH;
    final int kernelW;
    final int taps;
    final int stride;
    final short[] weights;
    final int[] tapSums;
    /** Weight zero points, padded to {@code stride} with zeros. */
    final int[] zeroPoints;
    /** True when every weight zero point is 0 (symmetric weights, PyTorch's default). */
    final boolean symmetric;

    PackedDepthwiseV128(byte[] w, int channels, int kh, int kw, int[] zp) {
        this.channels = channels;
        this.kernelH = kh;
        this.kernelW = kw;
        this.taps = kh * kw;
        this.stride = (channels + 7) & ~7;
        this.weights = new short[taps * stride];
        this.tapSums = new int[stride];
        this.zeroPoints = new int[stride];
        boolean allZero = true;
        for (int c = 0; c < channels; c++) {
            int z = zp[zp.length == 1 ? 0 : c];
            zeroPoints[c] = z;
            allZero &= z == 0;
            int sum = 0;
            for (int t = 0; t < taps; t++) {
                int v = w[c * taps + t];
                weights[t * stride + c] = (short) v;
                sum += v - z;
            }
            tapSums[c] = sum;
        }
        this.symmetric = allZero;
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
