package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.VectorWidth;

/**
 * float32 depthwise weights packed for the "fbgemm" kernels: {@code [tap][c]}, tap-major with
 * the channel dimension padded to {@link #stride()} (zeros), so a kernel loads one vector of
 * channels per tap. Immutable.
 */
final class X86PackedFloatDepthwiseWeights implements PackedFloatDepthwiseWeights {
    private final VectorWidth width;
    private final int channels;
    private final int kernelH;
    private final int kernelW;
    private final int stride;
    private final float[] taps;
    private final float[] zeroBias;

    X86PackedFloatDepthwiseWeights(VectorWidth width, float[] w, int channels, int kernelH, int kernelW, int stride) {
        this.width = width;
        this.channels = channels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.stride = stride;
        int n = kernelH * kernelW;
        this.taps = new float[n * stride];
        this.zeroBias = new float[stride];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < n; t++) {
                taps[t * stride + c] = w[c * n + t];
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
        return 4L * taps.length;
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

    /** Padded channel count: the distance between two taps in {@link #taps()}. */
    int stride() {
        return stride;
    }

    /** {@link #stride()} zeros: the bias when there is none. Do not modify. */
    float[] zeroBias() {
        return zeroBias;
    }

    /** {@code W[c][tap]} at {@code [tap * stride + c]}. Do not modify. */
    float[] taps() {
        return taps;
    }
}
