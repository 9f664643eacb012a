package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.Requantization;

/**
 * Walks the output rows of an int8 depthwise call. Input rows are copied once each into a small
 * per-thread ring of padded rows (padding columns and rows outside the image hold
 * {@code aZeroPoint}, so padding taps contribute {@code (zA - zA) * v = 0}), so a whole output
 * row is one run for the kernels, which never test a tap's validity. For each output row and
 * each channel block it runs the width's accumulation passes into a per-thread buffer, then the
 * epilogue: int32 outputs, or requantization in the mode of the given {@link Requantization}.
 * Channel blocks of 32 (512-bit kernels) or 16 (256-bit kernels) cover the channels: a 512-bit
 * engine runs a tail of at most 16 channels as one 16-channel block, any other tail as a block
 * overlapping its predecessor (it rewrites equal values); fewer channels than one block use a
 * block-wide pixel stride in the ring and an output row buffer.
 *
 * @implNote One run per output row (instead of interior plus two border patches) matters for
 * small images with many channels (C576 at 14x14: three times fewer kernel calls); copying each
 * input row once costs about one byte move per nine multiply-adds.
 *
 * <p>Per call, per channel block, it prepares the accumulators' starting values
 * {@code lo = -corrE - (corrO << 16)}, {@code hi = -corrO} with
 * {@code corr[c] = kSum[c] + zA * tapSum[c]} (see {@link X86PackedDepthwiseWeights}), and the
 * requantization parameters permuted into even/odd channel order.
 */
final class DwDriver {
    private DwDriver() {
    }

    static void conv(boolean wide, byte[] x, DwPlan p, X86PackedDepthwiseWeights pw, int zx, Requantization rq,
                     int rowStart, int rowEnd, int[] outInt, byte[] outByte) {
        int c = p.channels;
        boolean narrow = c < (wide ? DwConvPairsV512.BLOCK : DwConvPairsV256.BLOCK);
        DwScratch scratch = DwScratch.get();
        Call call = scratch.call.init(wide, x, p, pw, zx, rq, outInt, outByte, scratch, narrow);
        int chunk = call.chunkRows();
        if (chunk > 0) {
            call.chunked(rowStart, rowEnd, chunk);
            return;
        }
        for (int row = rowStart; row < rowEnd; row++) {
            call.windowRows(row);
            call.runBlocks(call.pix, p.outW, row * p.outW * c, c, narrow);
        }
    }

    /**
     * The state of one call: buffers, per-block constants and the output (one reusable instance
     * per thread in {@link DwScratch}, re-initialized per call).
     */
    static final class Call {
        /**
         * Most output columns of one chunked run ({@link #chunked}): its accumulators, 32 ints a
         * column, stay within 16 KiB of L1.
         */
        static final int CHUNK_COLUMNS = 128;

        /** The block being run is 32 channels (512-bit kernels) rather than 16 (256-bit kernels). */
        boolean wide;
        /** Channels of the block being run. */
        int block;
        byte[] x;
        DwPlan p;
        X86PackedDepthwiseWeights pw;
        int zx;
        Requantization rq;
        int[] outInt;
        byte[] outByte;
        DwScratch scratch;
        boolean narrow;
        int blocks;
        /** First channel, width (32 or 16) and constants offset of each block. */
        int[] bStart;
        int[] bWidth;
        int[] bConst;
        /** Sum of the block widths. */
        int total;
        int pix;
        byte[][] rows;
        int[] offs;
        byte[][] tapRows;
        int[] tapOffs;
        /** Padded rows: {@link #slots} slots of {@link #rowBytes}, then one row of zero points. */
        byte[] ring;
        int rowBytes;
        int slots;
        /** {@code n * h + iy} held by each slot, or -1. */
        int[] slotKeys;
        int[] init;
        float[] prm;
        int[] ints;
        float lo;
        float hi;
        int zOut;
        /** Every requantized {@code v} of this call has |v| &lt; 2^21 (see {@link #smallValues}). */
        boolean small;

        Call init(boolean wide, byte[] x, DwPlan p, X86PackedDepthwiseWeights pw, int zx, Requantization rq,
                  int[] outInt, byte[] outByte, DwScratch scratch, boolean narrow) {
            this.x = x;
            this.p = p;
            this.pw = pw;
            this.zx = zx;
            this.rq = rq;
            this.outInt = outInt;
            this.outByte = outByte;
            this.scratch = scratch;
            this.narrow = narrow;
            int c = p.channels;
            int widest = wide ? DwConvPairsV512.BLOCK : DwConvPairsV256.BLOCK;
            int[] info = scratch.blockInfo(3 * (c / DwConvPairsV256.BLOCK + 2));
            // full blocks of the widest kernel; a tail of <= 16 channels on a 512-bit engine runs as
            // one 256-bit block instead of an overlapping 512-bit one (C144: 4.5 blocks of 32)
            int nb = 0;
            int done = 0;
            if (narrow) {
                int width = wide && c > DwConvPairsV256.BLOCK ? widest : DwConvPairsV256.BLOCK;
                info[nb++] = 0;
                info[nb++] = width;
            } else {
                for (; done + widest <= c; done += widest) {
                    info[nb++] = done;
                    info[nb++] = widest;
                }
                if (done < c) {
                    int width = c - done <= DwConvPairsV256.BLOCK ? DwConvPairsV256.BLOCK : widest;
                    info[nb++] = c - width;
                    info[nb++] = width;
                }
            }
            this.blocks = nb / 2;
            this.bStart = scratch.blockStarts(blocks);
            this.bWidth = scratch.blockWidths(blocks);
            this.bConst = scratch.blockConsts(blocks);
            int sum = 0;
            for (int b = 0; b < blocks; b++) {
                bStart[b] = info[2 * b];
                bWidth[b] = info[2 * b + 1];
                bConst[b] = sum;
                sum += bWidth[b];
            }
            this.total = sum;
            this.pix = narrow ? bWidth[0] : c;
            this.rows = scratch.byteRows(p.kh);
            this.offs = scratch.rowOffsets(p.kh);
            this.tapRows = scratch.tapRows(p.kh * p.kw);
            this.tapOffs = scratch.tapOffsets(p.kh * p.kw);
            this.rowBytes = (p.w + 2 * p.padW) * pix;
            // distinct slots for the rows of one window, plus the rows the next output row adds
            this.slots = RowRing.slots(p);
            this.ring = scratch.bytePatch((slots + 1) * rowBytes);
            java.util.Arrays.fill(ring, slots * rowBytes, (slots + 1) * rowBytes, (byte) zx);
            this.slotKeys = scratch.slotKeys(slots);
            java.util.Arrays.fill(slotKeys, 0, slots, -1);
            // [0, total) accumulator starts; then int biases, Q31 multipliers and shifts (block-permuted)
            this.init = scratch.epilogueInts(total * 4);
            int[] tapSums = pw.tapSums();
            int[] offsetSums = pw.offsetSums();
            for (int b = 0; b < blocks; b++) {
                int cb = bStart[b];
                int half = bWidth[b] / 2;
                for (int k = 0; k < half; k++) {
                    int ce = cb + 2 * k;
                    int corrE = offsetSums[ce] + zx * tapSums[ce];
                    int corrO = offsetSums[ce + 1] + zx * tapSums[ce + 1];
                    init[bConst[b] + k] = -corrE - (corrO << 16);
                    init[bConst[b] + half + k] = -corrO;
                }
            }
            this.ints = init;
            if (rq != null) {
                this.prm = scratch.epilogueFloats(total * 2);
                int[] intBias = rq.intBias();
                for (int b = 0; b < blocks; b++) {
                    int cb = bStart[b];
                    int width = bWidth[b];
                    int half = width / 2;
                    for (int k = 0; k < width; k++) {
                        // k < half: even channels cb + 2k; else odd channels cb + 2(k-half) + 1
                        int ch = k < half ? cb + 2 * k : cb + 2 * (k - half) + 1;
                        int cc = Math.min(ch, p.channels - 1);
                        if (rq.mode() == Requantization.Mode.FLOAT_BIAS) {
                            prm[2 * bConst[b] + k] = rq.multiplier()[cc];
                            prm[2 * bConst[b] + width + k] = rq.biasOverScale()[cc];
                        } else if (rq.mode() == Requantization.Mode.INT_BIAS) {
                            prm[2 * bConst[b] + k] = rq.multiplier()[cc];
                            init[total + bConst[b] + k] = intBias[cc];
                        } else {
                            init[total + bConst[b] + k] = intBias[cc];
                            init[2 * total + bConst[b] + k] = rq.fixedMultiplier()[cc];
                            init[3 * total + bConst[b] + k] = rq.rightShift()[cc];
                        }
                    }
                }
                this.lo = rq.qmin() - rq.outZeroPoint();
                this.hi = rq.qmax() - rq.outZeroPoint();
                this.zOut = rq.outZeroPoint();
                this.small = rq.mode() != Requantization.Mode.FIXED_POINT && smallValues(rq, p.channels, (long) p.kh * p.kw);
            } else {
                this.prm = null;
                this.lo = 0;
                this.hi = 0;
                this.zOut = 0;
                this.small = false;
            }
            return this;
        }

        /**
         * True when {@code |v| < 2^21} for every accumulator the call can produce
         * ({@code |acc| <= 255 * 255 * taps}) in every channel, with a wide margin for the float
         * roundings; then the epilogue may round first and clamp the ints.
         */
        static boolean smallValues(Requantization rq, int channels, long taps) {
            double accMax = 65025.0 * taps;
            for (int c = 0; c < channels; c++) {
                double bias = rq.mode() == Requantization.Mode.FLOAT_BIAS ? Math.abs(rq.biasOverScale()[c])
                        : Math.abs((double) rq.intBias()[c]);
                if (rq.mode() == Requantization.Mode.INT_BIAS && accMax + bias >= 0x1p31) {
                    return false;
                }
                if (!((accMax + bias + 1) * Math.abs(rq.multiplier()[c]) < 0x1p21)) {
                    return false;
                }
            }
            return true;
        }


        /**
         * Output rows per chunked run, or 0 when the call runs row by row: chunks need stride 1,
         * a fast kernel on pair-packed weights, requantized output and a full channel block, and
         * at least two output rows fitting {@link #CHUNK_COLUMNS}.
         */
        int chunkRows() {
            if (rq == null || narrow || p.strideH != 1 || p.strideW != 1 || !p.fastKernel() || !pw.pairs()) {
                return 0;
            }
            int wp = p.w + 2 * p.padW;
            int rowsFit = (CHUNK_COLUMNS - p.outW) / wp + 1;
            return rowsFit >= 2 ? Math.min(rowsFit, p.outH) : 0;
        }

        /**
         * Stride 1 over whole chunks of output rows: the chunk's padded input rows lie one after
         * another in a buffer ({@code Wp = w + 2*padW} pixels a row), so output column {@code ox}
         * of chunk row {@code r} is run column {@code j = r*Wp + ox} and tap {@code (ky, kx)}
         * reads padded pixel {@code j + ky*Wp + kx}: one run of {@code (rows-1)*Wp + outW}
         * columns covers the chunk, its {@code Wp - outW} columns between rows being discarded.
         * The run's outputs go to a staging buffer at pixel stride {@code C}, then each row's
         * {@code outW} pixels to the output. Small images (7x7, 14x14) thus run a few long runs
         * per channel block instead of one short run per output row.
         */
        void chunked(int rowStart, int rowEnd, int chunk) {
            int c = p.channels;
            int wp = p.w + 2 * p.padW;
            int rowLen = wp * c;
            byte[] out = outByte;
            byte pad = (byte) zx;
            for (int row = rowStart; row < rowEnd; ) {
                int n = row / p.outH;
                int oy0 = row % p.outH;
                int count = Math.min(chunk, Math.min(rowEnd - row, p.outH - oy0));
                int inRows = count + p.kh - 1;
                byte[] buf = scratch.chunkInput(inRows * rowLen);
                for (int r = 0; r < inRows; r++) {
                    int iy = oy0 - p.padH + r;
                    int base = r * rowLen;
                    if (iy < 0 || iy >= p.h) {
                        java.util.Arrays.fill(buf, base, base + rowLen, pad);
                        continue;
                    }
                    java.util.Arrays.fill(buf, base, base + p.padW * c, pad);
                    System.arraycopy(x, p.inputIndex(n, iy, 0), buf, base + p.padW * c, p.w * c);
                    java.util.Arrays.fill(buf, base + (p.padW + p.w) * c, base + rowLen, pad);
                }
                for (int ky = 0; ky < p.kh; ky++) {
                    rows[ky] = buf;
                    offs[ky] = ky * rowLen;
                }
                int columns = (count - 1) * wp + p.outW;
                byte[] stage = scratch.byteOutRow(columns * c);
                outByte = stage;
                runBlocks(c, columns, 0, c, false);
                outByte = out;
                for (int r = 0; r < count; r++) {
                    System.arraycopy(stage, r * rowLen, out, (row + r) * p.outW * c, p.outW * c);
                }
                row += count;
            }
        }

        /**
         * Points {@link #rows}/{@link #offs} at the padded input rows of output row {@code row}
         * (column 0 = the first padding column), copying rows into the ring as needed.
         */
        void windowRows(int row) {
            int fill = RowRing.window(p, row, slots, rowBytes, slotKeys, offs);
            for (int ky = 0; ky < p.kh; ky++) {
                rows[ky] = ring;
                if ((fill & (1 << ky)) != 0) {
                    fillSlot(offs[ky], row / p.outH, p.inputRow(row, ky));
                }
            }
        }

        /** Copies input row {@code [n][iy]} into the ring row at {@code base} with its padding. */
        private void fillSlot(int base, int n, int iy) {
            int c = p.channels;
            byte pad = (byte) zx;
            java.util.Arrays.fill(ring, base, base + p.padW * pix, pad);
            int d = base + p.padW * pix;
            if (pix == c) {
                System.arraycopy(x, p.inputIndex(n, iy, 0), ring, d, p.w * c);
            } else {
                for (int ix = 0; ix < p.w; ix++) {
                    System.arraycopy(x, p.inputIndex(n, iy, ix), ring, d + ix * pix, c);
                    java.util.Arrays.fill(ring, d + ix * pix + c, d + (ix + 1) * pix, pad);
                }
            }
            java.util.Arrays.fill(ring, d + p.w * pix, base + rowBytes, pad);
        }

        /**
         * Every channel block of one run of {@code count} output columns whose window rows are
         * {@link #rows}/{@link #offs} with pixel stride {@code inPix}; {@code staged} sends the
         * output through a block-wide row buffer (fewer channels than one block).
         */
        void runBlocks(int inPix, int count, int outOff, int outPix, boolean staged) {
            int[] acc = scratch.acc(count * DwConvPairsV512.BLOCK);
            int colStep = p.strideW * inPix;
            short[] taps = pw.taps();
            short[] offsets = pw.groupOffsets();
            int ts = pw.stride();
            if (p.fastKernel() && pw.pairs()) {
                // the taps' rows and offsets of this output row, the same for every channel block
                byte[][] tr = tapRows;
                int[] to = tapOffs;
                int t = 0;
                for (int ky = 0; ky < p.kh; ky++) {
                    for (int kx = 0; kx < p.kw; kx++, t++) {
                        tr[t] = rows[ky];
                        to[t] = offs[ky] + kx * inPix;
                    }
                }
            }
            for (int b = 0; b < blocks; b++) {
                int cb = bStart[b];
                block = bWidth[b];
                wide = block == DwConvPairsV512.BLOCK;
                accumulate(inPix, colStep, count, cb, taps, offsets, ts, bConst[b], acc);
                if (rq == null && !staged) {
                    epilogueInt(acc, count, outInt, outOff + cb, outPix);
                } else if (rq == null) {
                    int[] tmp = scratch.intOutRow(count * block);
                    epilogueInt(acc, count, tmp, 0, block);
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(tmp, i * block, outInt, outOff + cb + i * outPix, p.channels);
                    }
                } else if (!staged) {
                    epilogueByte(acc, count, b, outByte, outOff + cb, outPix);
                } else {
                    byte[] tmp = scratch.byteOutRow(count * block);
                    epilogueByte(acc, count, b, tmp, 0, block);
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(tmp, i * block, outByte, outOff + i * outPix, p.channels);
                    }
                }
            }
        }

        /** Accumulators of one block into {@code acc}. */
        private void accumulate(int inPix, int colStep, int count, int cb, short[] taps, short[] offsets, int ts,
                                int initOff, int[] acc) {
            boolean fast = p.fastKernel() && pw.pairs();
            if (fast) {
                // 9 taps: 6 + 3; 25 taps: 6 + 6 + 6 + 4 + 3 (passes of 3 pairs, 2 pairs, a pair and a single)
                threePairs(0, 0, colStep, count, cb, taps, offsets, ts, init, initOff, 0, acc);
                int t = 6;
                int g = 3;
                while (p.kh * p.kw - t > 7) {
                    threePairs(t, g, colStep, count, cb, taps, offsets, ts, acc, 0, block, acc);
                    t += 6;
                    g += 3;
                }
                if (p.kh * p.kw - t == 7) {
                    twoPairs(t, g, colStep, count, cb, taps, offsets, ts, acc);
                    t += 4;
                    g += 2;
                }
                pairSingle(t, g, colStep, count, cb, taps, offsets, ts, acc);
            } else if (wide) {
                DwConvGeneralV512.run(rows, offs, p.kh, p.kw, p.dilationW * inPix, pw.pairs(), colStep, count, cb, taps,
                        offsets, ts, init, initOff, acc);
            } else {
                DwConvGeneralV256.run(rows, offs, p.kh, p.kw, p.dilationW * inPix, pw.pairs(), colStep, count, cb, taps,
                        offsets, ts, init, initOff, acc);
            }
        }

        private void threePairs(int t, int g, int colStep, int count, int cb, short[] taps, short[] offsets, int ts,
                                int[] src, int srcOff, int srcStep, int[] acc) {
            byte[][] r = tapRows;
            int[] o = tapOffs;
            if (wide) {
                DwConvPairsV512.threePairs(r[t], o[t], r[t + 1], o[t + 1], r[t + 2], o[t + 2], r[t + 3], o[t + 3], r[t + 4],
                        o[t + 4], r[t + 5], o[t + 5], colStep, count, cb, taps, offsets, ts, t, g, src, srcOff, srcStep, acc);
            } else {
                DwConvPairsV256.threePairs(r[t], o[t], r[t + 1], o[t + 1], r[t + 2], o[t + 2], r[t + 3], o[t + 3], r[t + 4],
                        o[t + 4], r[t + 5], o[t + 5], colStep, count, cb, taps, offsets, ts, t, g, src, srcOff, srcStep, acc);
            }
        }

        private void twoPairs(int t, int g, int colStep, int count, int cb, short[] taps, short[] offsets, int ts,
                              int[] acc) {
            byte[][] r = tapRows;
            int[] o = tapOffs;
            if (wide) {
                DwConvPairsV512.twoPairs(r[t], o[t], r[t + 1], o[t + 1], r[t + 2], o[t + 2], r[t + 3], o[t + 3], colStep,
                        count, cb, taps, offsets, ts, t, g, acc, 0, block, acc);
            } else {
                DwConvPairsV256.twoPairs(r[t], o[t], r[t + 1], o[t + 1], r[t + 2], o[t + 2], r[t + 3], o[t + 3], colStep,
                        count, cb, taps, offsets, ts, t, g, acc, 0, block, acc);
            }
        }

        private void pairSingle(int t, int g, int colStep, int count, int cb, short[] taps, short[] offsets, int ts,
                                int[] acc) {
            byte[][] r = tapRows;
            int[] o = tapOffs;
            if (wide) {
                DwConvPairsV512.pairSingle(r[t], o[t], r[t + 1], o[t + 1], r[t + 2], o[t + 2], colStep, count, cb, taps,
                        offsets, ts, t, g, acc, 0, block, acc);
            } else {
                DwConvPairsV256.pairSingle(r[t], o[t], r[t + 1], o[t + 1], r[t + 2], o[t + 2], colStep, count, cb, taps,
                        offsets, ts, t, g, acc, 0, block, acc);
            }
        }

        private void epilogueInt(int[] acc, int count, int[] out, int off, int outPix) {
            if (wide) {
                DwRequantizeV512.int32(acc, count, out, off, outPix);
            } else {
                DwRequantizeV256.int32(acc, count, out, off, outPix);
            }
        }

        private void epilogueByte(int[] acc, int count, int b, byte[] out, int off, int outPix) {
            int pOff = 2 * bConst[b];
            if (rq.mode() == Requantization.Mode.FIXED_POINT) {
                int q = total + bConst[b];
                if (wide) {
                    DwRequantizeV512.fixedPoint(acc, count, ints, q, q + total, q + 2 * total, rq.qmin(), rq.qmax(), zOut,
                            out, off, outPix);
                } else {
                    DwRequantizeV256.fixedPoint(acc, count, ints, q, q + total, q + 2 * total, rq.qmin(), rq.qmax(), zOut,
                            out, off, outPix);
                }
            } else if (rq.mode() == Requantization.Mode.FLOAT_BIAS) {
                if (wide) {
                    DwRequantizeV512.floatBias(acc, count, prm, pOff, lo, hi, zOut, small, out, off, outPix);
                } else {
                    DwRequantizeV256.floatBias(acc, count, prm, pOff, lo, hi, zOut, small, out, off, outPix);
                }
            } else if (wide) {
                DwRequantizeV512.intBias(acc, count, prm, pOff, ints, total + bConst[b], lo, hi, zOut, small, out,
                        off, outPix);
            } else {
                DwRequantizeV256.intBias(acc, count, prm, pOff, ints, total + bConst[b], lo, hi, zOut, small, out,
                        off, outPix);
            }
        }
    }
}
