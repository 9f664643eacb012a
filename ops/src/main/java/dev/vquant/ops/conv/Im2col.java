package dev.vquant.ops.conv;

import dev.vquant.engine.spi.ConvGeometry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds blocks of the im2col matrix of an NHWC input for one group: row {@code r} of the block
 * is output pixel {@code p = rowStart + r} ({@code p = (n*outH + oy)*outW + ox}), laid out
 * {@code [ky][kx][c]} with {@code c} over the group's {@code Cin/groups} channels. Taps outside the
 * image take {@code pad} (the activation zero point for quint8, 0 for float), which makes them
 * contribute nothing. Only a block of rows exists at a time, never the whole matrix.
 */
final class Im2col {
    /** Eight bytes at a time for the short copies of {@link #u8} (plain loads and stores, any alignment). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Im2col() {
    }

    /** The input geometry of one call. */
    record Frame(int h, int w, int cin, int outH, int outW, ConvSpec spec) {
        /** An array for {@link #sources}: one entry per kernel tap. */
        int[] newTapArray() {
            return new int[taps()];
        }

        /** Kernel taps per output pixel ({@code KH * KW}); a tap array may be longer (a reused buffer). */
        int taps() {
            return spec.kh() * spec.kw();
        }

        /**
         * Fills {@code src[ky*KW + kx]} with the input offset of the group's first channel at that
         * tap of output pixel {@code p}, or -1 where the tap falls into the padding.
         */
        void sources(int p, int group, int[] src) {
            ConvGeometry g = spec.geometry();
            int ox = p % outW;
            int t = p / outW;
            int oy = t % outH;
            int n = t / outH;
            int c0 = group * spec.cinPerGroup();
            int i = 0;
            for (int ky = 0; ky < spec.kh(); ky++) {
                int iy = oy * g.strideH() - g.padH() + ky * g.dilationH();
                boolean rowIn = iy >= 0 && iy < h;
                for (int kx = 0; kx < spec.kw(); kx++) {
                    int ix = ox * g.strideW() - g.padW() + kx * g.dilationW();
                    src[i++] = rowIn && ix >= 0 && ix < w ? ((n * h + iy) * w + ix) * cin + c0 : -1;
                }
            }
        }
    }

    /**
     * The quint8 block, fast: walks the output pixels in order (no division per pixel), and where a
     * kernel row's taps are contiguous in the input (one group, no dilation, the row fully inside
     * the image) copies the whole {@code KW * Cin} run at once; short runs are copied by a loop
     * (eight bytes at a time) instead of {@code System.arraycopy}. Equal byte for byte to {@link #u8Reference}.
     */
    static void u8(byte[] x, Frame f, int group, int rowStart, int rows, byte pad, byte[] buf, int[] taps) {
        ConvSpec spec = f.spec();
        ConvGeometry g = spec.geometry();
        int cg = spec.cinPerGroup();
        int cin = f.cin();
        int kh = spec.kh();
        int kw = spec.kw();
        int h = f.h();
        int w = f.w();
        int outW = f.outW();
        int outH = f.outH();
        int sh = g.strideH();
        int sw = g.strideW();
        int dh = g.dilationH();
        int dw = g.dilationW();
        int ph = g.padH();
        int pw = g.padW();
        int c0 = group * cg;
        boolean runs = cg == cin && dw == 1;
        int run = kw * cin;
        int ox = rowStart % outW;
        int t = rowStart / outW;
        int oy = t % outH;
        int n = t / outH;
        int dst = 0;
        for (int r = 0; r < rows; r++) {
            int ix0 = ox * sw - pw;
            boolean colsIn = runs && ix0 >= 0 && ix0 + kw - 1 < w;
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * sh - ph + ky * dh;
                if (iy < 0 || iy >= h) {
                    int end = dst + kw * cg;
                    for (int i = dst; i < end; i++) {
                        buf[i] = pad;
                    }
                    dst = end;
                    continue;
                }
                int rowBase = (n * h + iy) * w;
                if (colsIn) {
                    copy(x, (rowBase + ix0) * cin, buf, dst, run);
                    dst += run;
                    continue;
                }
                for (int kx = 0; kx < kw; kx++) {
                    int ix = ix0 + kx * dw;
                    if (ix >= 0 && ix < w) {
                        copy(x, (rowBase + ix) * cin + c0, buf, dst, cg);
                    } else {
                        for (int i = dst; i < dst + cg; i++) {
                            buf[i] = pad;
                        }
                    }
                    dst += cg;
                }
            }
            if (++ox == outW) {
                ox = 0;
                if (++oy == outH) {
                    oy = 0;
                    n++;
                }
            }
        }
    }

    private static void copy(byte[] x, int from, byte[] buf, int to, int len) {
        if (len >= 64) {
            System.arraycopy(x, from, buf, to, len);
            return;
        }
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONGS.set(buf, to + i, (long) LONGS.get(x, from + i));
        }
        for (; i < len; i++) {
            buf[to + i] = x[from + i];
        }
    }

    /** The quint8 block, one tap at a time: the reference {@link #u8} must equal. */
    static void u8Reference(byte[] x, Frame f, int group, int rowStart, int rows, byte pad, byte[] buf, int[] taps) {
        int cg = f.spec().cinPerGroup();
        int dst = 0;
        int count = f.taps();
        for (int r = 0; r < rows; r++) {
            f.sources(rowStart + r, group, taps);
            for (int t = 0; t < count; t++) {
                int s = taps[t];
                if (s >= 0) {
                    System.arraycopy(x, s, buf, dst, cg);
                } else {
                    Arrays.fill(buf, dst, dst + cg, pad);
                }
                dst += cg;
            }
        }
    }

    static void f32(float[] x, Frame f, int group, int rowStart, int rows, float[] buf, int[] taps) {
        int cg = f.spec().cinPerGroup();
        int dst = 0;
        for (int r = 0; r < rows; r++) {
            f.sources(rowStart + r, group, taps);
            for (int s : taps) {
                if (s >= 0) {
                    System.arraycopy(x, s, buf, dst, cg);
                } else {
                    Arrays.fill(buf, dst, dst + cg, 0f);
                }
                dst += cg;
            }
        }
    }
}
