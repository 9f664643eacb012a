package dev.vquant.x86.dwconv;

/**
 * Walks the output rows of a float depthwise call and hands runs of output columns to the width's
 * kernels: interior columns read the input rows directly (rows in the vertical padding read a row
 * of zeros); the border columns read a per-thread patch holding their input columns with the
 * padding written as zeros, so no kernel ever tests a tap's validity. Channel blocks cover the
 * channels with the last block overlapping its predecessor (it rewrites equal values); fewer
 * channels than one block run through a patch and an output row with a block-wide pixel stride.
 */
final class FloatDwDriver {
    private FloatDwDriver() {
    }

    static void conv(boolean wide, float[] x, DwPlan p, X86PackedFloatDepthwiseWeights pw, float[] bias, float lo,
                     float hi, int rowStart, int rowEnd, float[] out) {
        int block = wide ? FloatDwConv3x3V512.BLOCK : FloatDwConv3x3V256.BLOCK;
        int c = p.channels;
        boolean narrow = c < block;
        int pix = narrow ? block : c;
        DwScratch scratch = DwScratch.get();
        float[] b = pw.zeroBias();
        if (bias != null && narrow) {
            // kernels read a whole block of bias: pad it
            b = scratch.epilogueFloats(block);
            System.arraycopy(bias, 0, b, 0, c);
        } else if (bias != null) {
            b = bias;
        }
        float[][] rows = scratch.floatRows(p.kh);
        int[] offs = scratch.rowOffsets(p.kh);
        float[] padRow = scratch.floatPadRow(p.w * c);
        for (int row = rowStart; row < rowEnd; row++) {
            int n = row / p.outH;
            if (!narrow && p.oxR > p.oxL) {
                int ix0 = p.oxL * p.strideW - p.padW;
                for (int ky = 0; ky < p.kh; ky++) {
                    int iy = p.inputRow(row, ky);
                    rows[ky] = iy < 0 ? padRow : x;
                    offs[ky] = iy < 0 ? ix0 * c : p.inputIndex(n, iy, ix0);
                }
                runBlocks(wide, p, rows, offs, c, p.oxR - p.oxL, pw, b, lo, hi, out, (row * p.outW + p.oxL) * c, c);
            }
            if (narrow || p.oxR <= p.oxL) {
                border(wide, x, p, row, 0, p.outW, pix, rows, offs, pw, b, lo, hi, out, scratch);
            } else {
                border(wide, x, p, row, 0, p.oxL, pix, rows, offs, pw, b, lo, hi, out, scratch);
                border(wide, x, p, row, p.oxR, p.outW, pix, rows, offs, pw, b, lo, hi, out, scratch);
            }
        }
    }

    /** Output columns {@code [a, e)} of {@code row} through a zero-padded patch. */
    private static void border(boolean wide, float[] x, DwPlan p, int row, int a, int e, int pix, float[][] rows,
                               int[] offs, X86PackedFloatDepthwiseWeights pw, float[] b, float lo, float hi, float[] out,
                               DwScratch scratch) {
        if (e <= a) {
            return;
        }
        int c = p.channels;
        int n = row / p.outH;
        int cols = p.patchColumns(e - a);
        int ix0 = a * p.strideW - p.padW;
        float[] patch = scratch.floatPatch(p.kh * cols * pix);
        for (int ky = 0; ky < p.kh; ky++) {
            int iy = p.inputRow(row, ky);
            int base = ky * cols * pix;
            for (int j = 0; j < cols; j++) {
                int ix = ix0 + j;
                int d = base + j * pix;
                if (iy >= 0 && ix >= 0 && ix < p.w) {
                    System.arraycopy(x, p.inputIndex(n, iy, ix), patch, d, c);
                    java.util.Arrays.fill(patch, d + c, d + pix, 0f);
                } else {
                    java.util.Arrays.fill(patch, d, d + pix, 0f);
                }
            }
            rows[ky] = patch;
            offs[ky] = base;
        }
        if (pix == c) {
            runBlocks(wide, p, rows, offs, pix, e - a, pw, b, lo, hi, out, (row * p.outW + a) * c, c);
        } else {
            float[] tmp = scratch.floatOutRow((e - a) * pix);
            runBlocks(wide, p, rows, offs, pix, e - a, pw, b, lo, hi, tmp, 0, pix);
            for (int i = 0; i < e - a; i++) {
                System.arraycopy(tmp, i * pix, out, (row * p.outW + a + i) * c, c);
            }
        }
    }

    /** Every channel block of one run of {@code count} output columns. */
    private static void runBlocks(boolean wide, DwPlan p, float[][] rows, int[] offs, int pix, int count,
                                  X86PackedFloatDepthwiseWeights pw, float[] b, float lo, float hi, float[] out,
                                  int outOff, int outPix) {
        int block = wide ? FloatDwConv3x3V512.BLOCK : FloatDwConv3x3V256.BLOCK;
        int lanes = Math.max(p.channels, block);
        int colStep = p.strideW * pix;
        float[] taps = pw.taps();
        int ts = pw.stride();
        for (int c0 = 0; c0 < lanes; c0 += block) {
            int cb = Math.min(c0, lanes - block);
            if (p.fastKernel() && p.kh == 3) {
                if (wide) {
                    FloatDwConv3x3V512.run(rows[0], offs[0], rows[1], offs[1], rows[2], offs[2], pix, colStep, count, cb,
                            taps, ts, b, lo, hi, out, outOff, outPix);
                } else {
                    FloatDwConv3x3V256.run(rows[0], offs[0], rows[1], offs[1], rows[2], offs[2], pix, colStep, count, cb,
                            taps, ts, b, lo, hi, out, outOff, outPix);
                }
            } else if (p.fastKernel()) {
                if (wide) {
                    FloatDwConv5x5V512.run(rows, offs, pix, colStep, count, cb, taps, ts, b, lo, hi, out, outOff, outPix);
                } else {
                    FloatDwConv5x5V256.run(rows, offs, pix, colStep, count, cb, taps, ts, b, lo, hi, out, outOff, outPix);
                }
            } else if (wide) {
                FloatDwConvGeneralV512.run(rows, offs, p.kh, p.kw, p.dilationW * pix, colStep, count, cb, taps, ts, b, lo,
                        hi, out, outOff, outPix);
            } else {
                FloatDwConvGeneralV256.run(rows, offs, p.kh, p.kw, p.dilationW * pix, colStep, count, cb, taps, ts, b, lo,
                        hi, out, outOff, outPix);
            }
        }
    }
}
