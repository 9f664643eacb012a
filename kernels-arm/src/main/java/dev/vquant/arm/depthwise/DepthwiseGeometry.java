package dev.vquant.arm.depthwise;

import dev.vquant.engine.spi.ConvGeometry;

/**
 * The NHWC addressing shared by the int8 and float depthwise drivers: for one output pixel, the
 * input offset of each tap (QNNPACK's indirection buffer, built per pixel), {@code -1} for a tap
 * in the zero padding.
 */
public final class DepthwiseGeometry {
    private DepthwiseGeometry() {
    }

    /**
     * Fills {@code off[0..kh*kw)} with the input offset of each tap of output pixel
     * {@code (n, oy, ox)}, or {@code -1} where the tap falls into the padding.
     *
     * @param g        the call's geometry
     * @param h        input height
     * @param w        input width
     * @param channels channel count (the pixel stride of the NHWC input)
     * @param n        image index
     * @param oy       output row
     * @param ox       output column
     * @param off      output, at least {@code kh*kw} entries, tap {@code ky*kw + kx} at {@code off[ky*kw + kx]}
     */
    public static void taps(ConvGeometry g, int h, int w, int channels, int n, int oy, int ox, int[] off) {
        int t = 0;
        for (int ky = 0; ky < g.kernelH(); ky++) {
            int iy = oy * g.strideH() - g.padH() + ky * g.dilationH();
            boolean rowInside = iy >= 0 && iy < h;
            int rowBase = (n * h + iy) * w;
            for (int kx = 0; kx < g.kernelW(); kx++) {
                int ix = ox * g.strideW() - g.padW() + kx * g.dilationW();
                off[t++] = rowInside && ix >= 0 && ix < w ? (rowBase + ix) * channels : -1;
            }
        }
    }
}
