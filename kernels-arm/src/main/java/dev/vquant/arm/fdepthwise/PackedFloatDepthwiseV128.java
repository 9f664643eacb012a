package dev.vquant.arm.fdepthwise;

import dev.vquant.arm.ArmBackend;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * float32 depthwise weights packed tap-major: {@code weights[t * stride + c] = W[c][t]} with
 * {@code stride} the channel count rounded up to 8 (padding zero). Immutable and safe to share.
 */
public final class PackedFloatDepthwiseV128 implements PackedFloatDepthwiseWeights {
    final int channels;
    final int kernelH;
    final int kernelW;
    final int taps;
    final int stride;
    final float[] weights;

    PackedFloatDepthwiseV128(float[] w, int channels, int kh, int kw) {
        this.channels = channels;
        this.kernelH = kh;
        this.kernelW = kw;
        this.taps = kh * kw;
        this.stride = (channels + 7) & ~7;
        this.weights = new float[taps * stride];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < taps; t++) {
                weights[t * stride + c] = w[c * taps + t];
            }
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
    public String engine() {
        return ArmBackend.NAME;
    }

    @Override
    public VectorWidth width() {
        return VectorWidth.V128;
    }

    @Override
    public long byteSize() {
        return 4L * weights.length;
    }

    @Override
    public String toString() {
        return "PackedFloatDepthwiseV128[C=" + channels + ", " + kernelH + "x" + kernelW + "]";
    }
}
