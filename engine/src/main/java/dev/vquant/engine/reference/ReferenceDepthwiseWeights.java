package dev.vquant.engine.reference;

import dev.vquant.engine.spi.PackedDepthwiseWeights;

/**
 * The reference layout of int8 depthwise weights: a plain copy {@code w} of {@code W[c][kh][kw]}
 * and one zero point per channel (a per-tensor zero point repeated). Immutable by contract.
 */
record ReferenceDepthwiseWeights(byte[] w, int channels, int kernelH, int kernelW, int[] zeroPoints)
        implements PackedDepthwiseWeights, ReferenceLayout {

    @Override
    public int zeroPoint(int c) {
        return zeroPoints[c];
    }

    /** Tap {@code W[c][ky][kx]} as a signed value. */
    int weight(int c, int ky, int kx) {
        return w[(c * kernelH + ky) * kernelW + kx];
    }

    @Override
    public long byteSize() {
        return w.length + 4L * zeroPoints.length;
    }
}
