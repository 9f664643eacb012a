package dev.vquant.ops.pool;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.Parallel;

import java.util.function.Supplier;

/**
 * The loop every pooling operator shares: output rows split over threads, and for each output
 * pixel of an NHWC tensor its window of input taps, handed to a per-thread {@link Window} body
 * that reduces the channels. Fixed windows follow {@link ConvGeometry} (taps clipped to the
 * image, padding never read); adaptive ones PyTorch's {@code floor/ceil} bounds.
 */
final class PoolLoop {
    private PoolLoop() {
    }

    /** Reduces one window over all channels; one instance per thread (it may hold scratch). */
    interface Window {
        /**
         * @param rowBase  input offset of image {@code n}'s row 0 ({@code n*H*W*C})
         * @param y0       first tap row; taps at {@code y0, y0+dy, ... < y1}
         * @param x0       first tap column; taps at {@code x0, x0+dx, ... < x1}
         * @param padded   window extent counting padding (average pooling's count_include_pad divisor)
         * @param out      output offset of this pixel's channel 0
         */
        void reduce(int rowBase, int y0, int y1, int dy, int x0, int x1, int dx, int padded, int out);
    }

    /** Fixed windows: {@code shape = {N, H, W, C, outH, outW}} from {@link PoolShape#check}. */
    static void fixed(int[] shape, ConvGeometry g, int threads, Supplier<Window> bodies) {
        int outH = shape[4];
        Parallel.forRange(shape[0] * outH, fixedThreads(shape, g, threads), 1, (rs, re) -> fixedRows(shape, g, bodies.get(), rs, re));
    }

    /** The threads {@link #fixed} runs on: 1 for small pools. */
    static int fixedThreads(int[] shape, ConvGeometry g, int threads) {
        long work = (long) shape[0] * shape[4] * shape[5] * shape[3] * g.kernelH() * g.kernelW();
        return GemmSplit.threadsFor(work, threads);
    }

    /**
     * Whether {@link #fixed} would run as one range in the caller: the operator then calls
     * {@link #fixedRows} with one body of its own, without the lambdas {@code fixed} needs.
     */
    static boolean fixedInline(int[] shape, ConvGeometry g, int threads) {
        return Parallel.inline(shape[0] * shape[4], fixedThreads(shape, g, threads), 1);
    }

    /** Output rows {@code [rs, re)} ({@code n * outH + oy}) of fixed windows through {@code body}. */
    static void fixedRows(int[] shape, ConvGeometry g, Window body, int rs, int re) {
        int h = shape[1];
        int w = shape[2];
        int c = shape[3];
        int outH = shape[4];
        int outW = shape[5];
        for (int r = rs; r < re; r++) {
            int n = r / outH;
            int oy = r % outH;
            int ys = oy * g.strideH() - g.padH();
            int y0 = PoolShape.first(ys, g.dilationH());
            int y1 = PoolShape.end(ys, g.kernelH(), g.dilationH(), h);
            int ph = PoolShape.paddedExtent(ys, g.kernelH(), h, g.padH());
            for (int ox = 0; ox < outW; ox++) {
                int xs = ox * g.strideW() - g.padW();
                int x0 = PoolShape.first(xs, g.dilationW());
                int x1 = PoolShape.end(xs, g.kernelW(), g.dilationW(), w);
                int pw = PoolShape.paddedExtent(xs, g.kernelW(), w, g.padW());
                body.reduce(n * h * w * c, y0, y1, g.dilationH(), x0, x1, g.dilationW(), ph * pw, (r * outW + ox) * c);
            }
        }
    }

    /** Adaptive windows: {@code shape = {N, H, W, C}} to {@code outH x outW}. */
    static void adaptive(int[] shape, int outH, int outW, int threads, Supplier<Window> bodies) {
        Parallel.forRange(shape[0] * outH, adaptiveThreads(shape, threads), 1,
                (rs, re) -> adaptiveRows(shape, outH, outW, bodies.get(), rs, re));
    }

    /** The threads {@link #adaptive} runs on: 1 for small pools. */
    static int adaptiveThreads(int[] shape, int threads) {
        return GemmSplit.threadsFor((long) shape[0] * shape[1] * shape[2] * shape[3], threads);
    }

    /** Whether {@link #adaptive} would run as one range in the caller (see {@link #fixedInline}). */
    static boolean adaptiveInline(int[] shape, int outH, int threads) {
        return Parallel.inline(shape[0] * outH, adaptiveThreads(shape, threads), 1);
    }

    /** Output rows {@code [rs, re)} of adaptive windows through {@code body}. */
    static void adaptiveRows(int[] shape, int outH, int outW, Window body, int rs, int re) {
        int h = shape[1];
        int w = shape[2];
        int c = shape[3];
        for (int r = rs; r < re; r++) {
            int n = r / outH;
            int oy = r % outH;
            int y0 = PoolShape.adaptiveStart(oy, h, outH);
            int y1 = PoolShape.adaptiveEnd(oy, h, outH);
            for (int ox = 0; ox < outW; ox++) {
                int x0 = PoolShape.adaptiveStart(ox, w, outW);
                int x1 = PoolShape.adaptiveEnd(ox, w, outW);
                body.reduce(n * h * w * c, y0, y1, 1, x0, x1, 1, (y1 - y0) * (x1 - x0), (r * outW + ox) * c);
            }
        }
    }
}
