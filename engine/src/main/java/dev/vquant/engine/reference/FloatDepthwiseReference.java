package dev.vquant.engine.reference;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;

import java.util.Arrays;

/**
 * Scalar float32 depthwise convolution, the twin of {@link DepthwiseReference} (same geometry,
 * row split and NHWC layout): {@code out = clamp(sum_taps X * W + bias[c], lo, hi)}, taps summed
 * in float32 in (ky, kx) order, padding taps skipped. Thread-safe.
 */
public final class FloatDepthwiseReference implements FloatDepthwiseKernels {

    /** Creates the scalar float depthwise kernels; stateless, so one instance (each {@link ReferenceBackend} makes one) serves all threads. */
    public FloatDepthwiseReference() {
    }

    @Override
    public PackedFloatDepthwiseWeights pack(float[] w, int channels, int kh, int kw) {
        KernelArgs.checkPositive("channels", channels);
        KernelArgs.checkPositive("kernel height", kh);
        KernelArgs.checkPositive("kernel width", kw);
        int taps = ReferenceArgs.product("kernel " + kh + "x" + kw, kh, kw);
        KernelArgs.checkMatrix("depthwise weights", ReferenceArgs.length(w, "weight"), 0, channels, taps, taps);
        return new ReferenceFloatDepthwiseWeights(Arrays.copyOf(w, channels * taps), channels, kh, kw);
    }

    @Override
    public void run(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights, ConvGeometry g,
                    float[] bias, float clampMin, float clampMax, int rowStart, int rowEnd, float[] out) {
        ReferenceFloatDepthwiseWeights pw = ReferenceArgs.packed(weights, ReferenceFloatDepthwiseWeights.class);
        assert KernelArgs.validFloatDepthwise(x, batch, h, w, weights, g, bias, clampMin, clampMax, rowStart, rowEnd,
                out.length);
        DepthwiseShape s = DepthwiseShape.of(batch, h, w, pw.channels(), g, rowStart, rowEnd);
        for (int row = rowStart; row < rowEnd; row++) {
            int n = row / s.outH();
            int oy = row % s.outH();
            for (int ox = 0; ox < s.outW(); ox++) {
                for (int c = 0; c < s.channels(); c++) {
                    float sum = 0f;
                    for (int ky = 0; ky < pw.kernelH(); ky++) {
                        int iy = oy * g.strideH() - g.padH() + ky * g.dilationH();
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < pw.kernelW(); kx++) {
                            int ix = ox * g.strideW() - g.padW() + kx * g.dilationW();
                            if (ix >= 0 && ix < w) {
                                sum += x[s.inputIndex(n, iy, ix, c)] * pw.weight(c, ky, kx);
                            }
                        }
                    }
                    if (bias != null) {
                        sum += bias[c];
                    }
                    out[s.outputIndex(row, ox, c)] = FloatClamp.apply(sum, clampMin, clampMax);
                }
            }
        }
    }
}
