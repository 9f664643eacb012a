package dev.vquant.engine.reference;

import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;

/** The reference layout of float32 depthwise weights: a plain copy {@code w} of {@code W[c][kh][kw]}. */
record ReferenceFloatDepthwiseWeights(float[] w, int channels, int kernelH, int kernelW)
        implements PackedFloatDepthwiseWeights, ReferenceLayout {

    /** Tap {@code W[c][ky][kx]}. */
    float weight(int c, int ky, int kx) {
        return w[(c * kernelH + ky) * kernelW + kx];
    }

    @Override
    public long byteSize() {
        return 4L * w.length;
    }
}
