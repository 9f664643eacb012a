package dev.vquant.quant.autograd;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.core.Parallel;
import dev.vquant.ops.core.Threads;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.quant.Tensor;


/**
 * The backward of a 2-D convolution with zero padding (groups, stride, padding, dilation), as
 * {@link dev.vquant.quant.nn.Conv2d} and the QAT convolutions compute it, in NHWC. Per group, over
 * blocks of output pixels: the block's im2col matrix {@code cols [rows, KH*KW*Cin/g]} (built
 * transposed) gives {@code dW^T += cols^T dy} and {@code dcols = dy W}, two GEMMs on the engine's float kernel, and
 * col2im scatters {@code dcols} back onto the input gradient. Depthwise convolutions (one input and
 * one output channel per group) skip the GEMMs: their products are vectorizable loops over the
 * channels, which NHWC keeps innermost.
 */
public final class ConvGrad {
    /** im2col floats per block: bounds the scratch memory whatever the batch. */
    private static final int BLOCK_FLOATS = 1 << 20;

    private ConvGrad() {
    }

    /** Everything the backward needs about one convolution call. */
    private record Shape(int n, int h, int w, int cin, int outH, int outW, int cout, int groups, int kh, int kw,
                         ConvGeometry g) {
        int cg() {
            return cin / groups;
        }

        int og() {
            return cout / groups;
        }

        int taps() {
            return kh * kw;
        }

        int kg() {
            return taps() * cg();
        }

        int pixels() {
            return n * outH * outW;
        }

        /**
         * Fills {@code src[tap]} with the NHWC offset of channel 0 at each kernel tap of output pixel
         * {@code p}, or -1 where the tap falls into the padding.
         */
        void sources(int p, int[] src) {
            int ox = p % outW;
            int t = p / outW;
            int oy = t % outH;
            int b = t / outH;
            int i = 0;
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * g.strideH() - g.padH() + ky * g.dilationH();
                boolean rowIn = iy >= 0 && iy < h;
                for (int kx = 0; kx < kw; kx++) {
                    int ix = ox * g.strideW() - g.padW() + kx * g.dilationW();
                    src[i++] = rowIn && ix >= 0 && ix < w ? ((b * h + iy) * w + ix) * cin : -1;
                }
            }
        }
    }

    /**
     * Records {@code y = conv2d(x, weight, bias)} (ReLU'd when {@code relu}) on {@code tape}.
     *
     * @param tape the tape to record on
     * @param x      the input {@code [N, Cin, H, W]}
     * @param weight {@code [Cout, Cin/groups, KH, KW]} (a {@link GradTape#leaf} or a recorded tensor)
     * @param bias   {@code [Cout]}, or null
     * @param y      the output, channels-last as the convolutions produce it
     * @param geometry the kernel size, stride, padding and dilation the forward used
     * @param groups   the number of groups, dividing Cin and Cout
     * @param relu     whether the forward applied ReLU (ConvReLU2d)
     */
    public static void record(GradTape tape, Tensor x, Tensor y, Tensor weight, Tensor bias, ConvGeometry geometry, int groups,
                              boolean relu) {
        record(tape, x, y, weight, bias, geometry, groups, relu, BLOCK_FLOATS);
    }

    /** As above, with im2col blocks of at most {@code blockFloats} floats (tests use tiny blocks to cross block edges). */
    static void record(GradTape tape, Tensor x, Tensor y, Tensor weight, Tensor bias, ConvGeometry geometry, int groups,
                       boolean relu, int blockFloats) {
        Shape s = new Shape(x.dim(0), x.dim(2), x.dim(3), x.dim(1), y.dim(2), y.dim(3), y.dim(1), groups, weight.dim(2),
                weight.dim(3), geometry);
        float[] xs = Layouts.nhwc(x, "Conv2d backward");
        float[] w = weight.toFloatArray();
        float[] ys = relu ? Layouts.nhwc(y, "Conv2d backward") : null;
        tape.record(y, (g, needs) -> {
            float[] gy = Layouts.storageToNhwc(y, g);
            if (relu) {
                gy = Elementwise.maskPositive(gy, ys);
            }
            float[] dx = needs[0] ? new float[xs.length] : null;
            float[] dw = needs[1] ? new float[w.length] : null;
            if (dx != null || dw != null) {
                if (s.cg() == 1 && s.og() == 1) {
                    depthwise(s, xs, w, gy, dx, dw);
                } else {
                    for (int grp = 0; grp < groups; grp++) {
                        group(s, grp, xs, w, gy, dx, dw, blockFloats);
                    }
                }
            }
            float[] db = null;
            if (needs[2]) {
                db = new float[s.cout];
                Gemm.addColumnSums(gy, s.pixels(), s.cout, db);
            }
            return new float[][]{dx == null ? null : Layouts.nhwcToStorage(x, dx), dw, db};
        }, x, weight, bias);
    }

    /** One group's input and weight gradients over blocks of output pixels. */
    private static void group(Shape s, int grp, float[] x, float[] w, float[] gy, float[] dx, float[] dw, int blockFloats) {
        int og = s.og();
        int cg = s.cg();
        int kg = s.kg();
        int taps = s.taps();
        // the group's weight as the GEMM sees it: [og][tap][c], and transposed for dcols = dy W
        float[] wg = new float[og * kg];
        for (int o = 0; o < og; o++) {
            for (int c = 0; c < cg; c++) {
                for (int t = 0; t < taps; t++) {
                    wg[o * kg + t * cg + c] = w[((grp * og + o) * cg + c) * taps + t];
                }
            }
        }
        KernelBackend engine = QuantEngine.current();
        FloatLinear byWeight = dx == null ? null : Gemm.rightFactor(Gemm.transpose(wg, og, kg), kg, og);
        float[] dwgT = dw == null ? null : new float[kg * og];
        int m = s.pixels();
        int block = Math.max(1, Math.min(m, blockFloats / kg));
        float[] colsT = dw == null ? null : new float[block * kg];
        float[] dcols = dx == null ? null : new float[block * kg];
        float[] part = dw == null ? null : new float[kg * og];
        for (int r0 = 0; r0 < m; r0 += block) {
            int rows = Math.min(block, m - r0);
            if (dw != null) {
                float[] gyg = Gemm.transpose(gy, r0 * s.cout + grp * og, s.cout, rows, og);   // [og][rows]
                im2colTransposed(s, grp, x, r0, rows, colsT);
                Gemm.abT(colsT, kg, rows, gyg, og, part);
                for (int i = 0; i < part.length; i++) {
                    dwgT[i] += part[i];
                }
            }
            if (dx != null) {
                byWeight.gemm(engine, rowSlice(gy, r0, rows, s.cout, grp * og, og), rows, dcols);
                col2im(s, grp, dcols, r0, rows, dx);
            }
        }
        if (dw != null) {
            for (int o = 0; o < og; o++) {
                for (int c = 0; c < cg; c++) {
                    for (int t = 0; t < taps; t++) {
                        dw[((grp * og + o) * cg + c) * taps + t] = dwgT[(t * cg + c) * og + o];
                    }
                }
            }
        }
    }

    /**
     * Rows {@code [r0, r0 + rows)} of the group's im2col matrix, transposed: {@code colsT[tap*Cg + c][r]},
     * zeros for padding taps. Gathered a tile of rows at a time, so the writes stay sequential.
     */
    private static void im2colTransposed(Shape s, int grp, float[] x, int r0, int rows, float[] colsT) {
        final int tile = 16;
        int cg = s.cg();
        int c0 = grp * cg;
        int taps = s.taps();
        int tiles = (rows + tile - 1) / tile;
        // tiles write disjoint columns, so any split computes the same values
        Parallel.forRange(tiles, threads((long) rows * s.kg()), 1, (ts, te) -> {
            int[][] src = new int[tile][taps];
            for (int t0 = ts * tile; t0 < Math.min(rows, te * tile); t0 += tile) {
                int n = Math.min(tile, rows - t0);
                for (int r = 0; r < n; r++) {
                    s.sources(r0 + t0 + r, src[r]);
                }
                for (int t = 0; t < taps; t++) {
                    for (int c = 0; c < cg; c++) {
                        int dst = (t * cg + c) * rows + t0;
                        for (int r = 0; r < n; r++) {
                            int at = src[r][t];
                            colsT[dst + r] = at >= 0 ? x[at + c0 + c] : 0f;
                        }
                    }
                }
            }
        });
    }

    /** Threads for {@code work} multiply-adds: the operators' default, one below the GEMM's parallel threshold. */
    private static int threads(long work) {
        return GemmSplit.threadsFor(work, Threads.get());
    }

    /** Columns {@code [col, col + width)} of rows {@code [r0, r0 + rows)} of {@code a[.][ld]}, dense. */
    private static float[] rowSlice(float[] a, int r0, int rows, int ld, int col, int width) {
        float[] out = new float[rows * width];
        if (width == ld) {
            System.arraycopy(a, r0 * ld, out, 0, rows * width);
            return out;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, (r0 + r) * ld + col, out, r * width, width);
        }
        return out;
    }

    /**
     * Adds each row of {@code dcols} onto the input positions its taps read (padding taps dropped).
     * Taps of different images never meet, so images run in parallel, each in row order: the sums
     * are the same at any thread count.
     */
    private static void col2im(Shape s, int grp, float[] dcols, int r0, int rows, float[] dx) {
        int cg = s.cg();
        int kg = s.kg();
        int c0 = grp * cg;
        int perImage = s.outH * s.outW;
        int firstImage = r0 / perImage;
        int images = (r0 + rows - 1) / perImage - firstImage + 1;
        Parallel.forRange(images, threads((long) rows * kg), 1, (is, ie) -> {
            int[] src = new int[s.taps()];
            int from = Math.max(r0, (firstImage + is) * perImage);
            int to = Math.min(r0 + rows, (firstImage + ie) * perImage);
            for (int p = from; p < to; p++) {
                s.sources(p, src);
                int at0 = (p - r0) * kg;
                for (int t = 0; t < src.length; t++) {
                    int at = src[t];
                    if (at >= 0) {
                        int base = at + c0;
                        int off = at0 + t * cg;
                        for (int c = 0; c < cg; c++) {
                            dx[base + c] += dcols[off + c];
                        }
                    }
                }
            }
        });
    }

    /**
     * Depthwise: per output pixel and tap, a loop over the channels for both gradients. Images run
     * in parallel (their input taps never meet); each keeps its own weight-gradient partial, summed
     * in image order afterwards, so the result is the same at any thread count.
     */
    private static void depthwise(Shape s, float[] x, float[] w, float[] gy, float[] dx, float[] dw) {
        int c = s.cout;
        int taps = s.taps();
        float[] wt = Gemm.transpose(w, c, taps);         // [tap][c]
        float[][] partial = dw == null ? null : new float[s.n][];
        int perImage = s.outH * s.outW;
        Parallel.forRange(s.n, threads((long) s.pixels() * taps * c), 1, (bs, be) -> {
            int[] src = new int[taps];
            for (int b = bs; b < be; b++) {
                float[] dwt = dw == null ? null : new float[taps * c];
                for (int p = b * perImage; p < (b + 1) * perImage; p++) {
                    s.sources(p, src);
                    int go = p * c;
                    for (int t = 0; t < taps; t++) {
                        int at = src[t];
                        if (at < 0) {
                            continue;
                        }
                        int wo = t * c;
                        if (dwt != null) {
                            for (int ch = 0; ch < c; ch++) {
                                dwt[wo + ch] += gy[go + ch] * x[at + ch];
                            }
                        }
                        if (dx != null) {
                            for (int ch = 0; ch < c; ch++) {
                                dx[at + ch] += gy[go + ch] * wt[wo + ch];
                            }
                        }
                    }
                }
                if (partial != null) {
                    partial[b] = dwt;
                }
            }
        });
        if (dw != null) {
            float[] sum = partial[0];
            for (int b = 1; b < partial.length; b++) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += partial[b][i];
                }
            }
            System.arraycopy(Gemm.transpose(sum, taps, c), 0, dw, 0, dw.length);
        }
    }
}
