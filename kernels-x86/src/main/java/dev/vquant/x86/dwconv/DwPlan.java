package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.ConvGeometry;

/**
 * The geometry of one depthwise call as the drivers use it (one reusable instance per thread in
 * {@link DwScratch}, re-initialized per call): extents, window, and the interior
 * output columns {@code [oxL, oxR)} whose windows lie entirely inside the input width (they read
 * the input directly; the columns left and right of it read a padded patch).
 */
final class DwPlan {
    int batch;
    int h;
    int w;
    int channels;
    int kh;
    int kw;
    int strideH;
    int strideW;
    int padH;
    int padW;
    int dilationH;
    int dilationW;
    int outH;
    int outW;
    /** First interior output column. */
    int oxL;
    /** End of the interior output columns ({@code oxR <= oxL} when there are none). */
    int oxR;

    /** Sets the plan of a call whose arguments {@link dev.vquant.engine.spi.KernelArgs#checkDepthwise} accepted; returns this. */
    DwPlan init(int batch, int h, int w, int channels, ConvGeometry g) {
        this.batch = batch;
        this.h = h;
        this.w = w;
        this.channels = channels;
        kh = g.kernelH();
        kw = g.kernelW();
        strideH = g.strideH();
        strideW = g.strideW();
        padH = g.padH();
        padW = g.padW();
        dilationH = g.dilationH();
        dilationW = g.dilationW();
        outH = g.outH(h);
        outW = g.outW(w);
        int left = Math.min(outW, (padW + strideW - 1) / strideW);
        // last interior ox: ox*strideW - padW + (kw-1)*dilationW <= w-1
        long reach = (long) w - 1 + padW - (long) (kw - 1) * dilationW;
        int right = reach < 0 ? 0 : (int) Math.min(outW, reach / strideW + 1);
        oxL = left;
        oxR = Math.max(left, right);
        return this;
    }

    /** Input row of output row {@code row} (over batch * outH) at kernel row {@code ky}, or -1 in the padding. */
    int inputRow(int row, int ky) {
        int oy = row % outH;
        int iy = oy * strideH - padH + ky * dilationH;
        return iy >= 0 && iy < h ? iy : -1;
    }

    /** Flat index of input element {@code [n][iy][ix][0]}. */
    int inputIndex(int n, int iy, int ix) {
        return ((n * h + iy) * w + ix) * channels;
    }

    /** Number of input columns a run of {@code n} output columns reads. */
    int patchColumns(int n) {
        return (n - 1) * strideW + (kw - 1) * dilationW + 1;
    }

    /** True for the shapes with a dedicated kernel: 3x3 or 5x5, no dilation. */
    boolean fastKernel() {
        return dilationH == 1 && dilationW == 1 && kh == kw && (kh == 3 || kh == 5);
    }
}
