package dev.vquant.x86.dwconv;

/**
 * Walks the output rows of a float depthwise call and hands runs of output columns to the width's
 * kernels: interior columns read the input rows directly (rows in the vertical padding read a row
 * of zeros); the border columns read a per-thread patch holding their input columns with the
 * padding written as zeros, so no kernel ever tests a tap's validity. Narrow images instead copy
 * each input row once into a ring of zero-padded rows and run whole output rows. Channel blocks cover the
 * channels with the last block overlapping its predecessor (it rewrites equal values); fewer
 * channels than one block run through a patch and an output row with a block-wide pixel stride.
 */
final class FloatDwDriver {
    /**
     * Output widths up to this read a ring of padded rows (one run per output row, like the int8
     * driver); wider ones read the input directly with border patches, which measured faster for
     * float (a float row copy moves four times the bytes of an int8 one).
     */
    static final int RING_MAX_WIDTH = 16;

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
        if (narrow || p.outW <= RING_MAX_WIDTH) {
            int rowLen = (p.w + 2 * p.padW) * pix;
            int slots = RowRing.slots(p);
            float[] ring = scratch.floatPatch((slots + 1) * rowLen);
            java.util.Arrays.fill(ring, slots * rowLen, (slots + 1) * rowLen, 0f);
            int[] keys = scratch.slotKeys(slots);
            java.util.Arrays.fill(keys, 0, slots, -1);
            for (int row = rowStart; row < rowEnd; row++) {
                int fill = RowRing.window(p, row, slots, rowLen, keys, offs);
                for (int ky = 0; ky < p.kh; ky++) {
                    rows[ky] = ring;
                    if ((fill & (1 << ky)) != 0) {
                        fillSlot(x, p, row / p.outH, p.inputRow(row, ky), pix, ring, offs[ky], rowLen);
                    }
                }
                if (narrow) {
                    float[] tmp = scratch.floatOutRow(p.outW * pix);
                    runBlocks(wide, p, rows, offs, pix, p.outW, pw, b, lo, hi, tmp, 0, pix);
                    for (int i = 0; i < p.outW; i++) {
                        System.arraycopy(tmp, i * pix, out, (row * p.outW + i) * c, c);
                    }
                } else {
                    runBlocks(wide, p, rows, offs, pix, p.outW, pw, b, lo, hi, out, row * p.outW * c, c);
                }
            }
            return;
        }
        float[] padRow = scratch.floatPadRow(p.w * c);
        for (int row = rowStart; row < rowEnd; row++) {
            int n = row / p.outH;
            if (p.oxR > p.oxL) {
                int ix0 = p.oxL * p.strideW - p.padW;
                for (int ky = 0; ky < p.kh; ky++) {
                    int iy = p.inputRow(row, ky);
                    rows[ky] = iy < 0 ? padRow : x;
                    offs[ky] = iy < 0 ? ix0 * c : p.inputIndex(n, iy, ix0);
                }
                runBlocks(wide, p, rows, offs, c, p.oxR - p.oxL, pw, b, lo, hi, out, (row * p.outW + p.oxL) * c, c);
                border(wide, x, p, row, 0, p.oxL, rows, offs, pw, b, lo, hi, out, scratch);
                border(wide, x, p, row, p.oxR, p.outW, rows, offs, pw, b, lo, hi, out, scratch);
            } else {
                border(wide, x, p, row, 0, p.outW, rows, offs, pw, b, lo, hi, out, scratch);
            }
        }
    }

    /** Copies input row {@code [n][iy]} into the ring row at {@code base}, zero padded, pixel stride {@code pix}. */
    private static void fillSlot(float[] x, DwPlan p, int n, int iy, int pix, float[] ring, int base, int rowLen) {
        int c = p.channels;
        java.util.Arrays.fill(ring, base, base + p.padW * pix, 0f);
        int d = base + p.padW * pix;
        if (pix == c) {
            System.arraycopy(x, p.inputIndex(n, iy, 0), ring, d, p.w * c);
        } else {
            for (int ix = 0; ix < p.w; ix++) {
                System.arraycopy(x, p.inputIndex(n, iy, ix), ring, d + ix * pix, c);
                java.util.Arrays.fill(ring, d + ix * pix + c, d + (ix + 1) * pix, 0f);
            }
        }
        java.util.Arrays.fill(ring, d + p.w * pix, base + rowLen, 0f);
    }

    /** Output columns {@code [a, e)} of {@code row} through a zero-padded patch (at least one block of channels). */
    private static void border(boolean wide, float[] x, DwPlan p, int row, int a, int e, float[][] rows, int[] offs,
                               X86PackedFloatDepthwiseWeights pw, float[] b, float lo, float hi, float[] out,
                               DwScratch scratch) {
        if (e <= a) {
            return;
        }
        int c = p.channels;
        int n = row / p.outH;
        int cols = p.patchColumns(e - a);
        int ix0 = a * p.strideW - p.padW;
        float[] patch = scratch.floatPatch(p.kh * cols * c);
        for (int ky = 0; ky < p.kh; ky++) {
            int iy = p.inputRow(row, ky);
            int base = ky * cols * c;
            for (int j = 0; j < cols; j++) {
                int ix = ix0 + j;
                int d = base + j * c;
                if (iy >= 0 && ix >= 0 && ix < p.w) {
                    System.arraycopy(x, p.inputIndex(n, iy, ix), patch, d, c);
                } else {
                    java.util.Arrays.fill(patch, d, d + c, 0f);
                }
            }
            rows[ky] = patch;
            offs[ky] = base;
        }
        runBlocks(wide, p, rows, offs, c, e - a, pw, b, lo, hi, out, (row * p.outW + a) * c, c);
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
