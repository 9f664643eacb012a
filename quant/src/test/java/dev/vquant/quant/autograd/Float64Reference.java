package dev.vquant.quant.autograd;

import dev.vquant.engine.spi.ConvGeometry;

/**
 * Test oracles: PyTorch's conv2d, max_pool2d, avg_pool2d and adaptive_avg_pool2d written out
 * directly in float64 over NCHW arrays, one loop per definition and nothing shared with the
 * code under test but the geometry record, so central differences of them check the float32
 * backwards against the definitions rather than against the modules' own forwards.
 */
final class Float64Reference {
    private Float64Reference() {
    }

    /** Convolution output size: {@code floor((in + 2p - d(k-1) - 1) / s) + 1}. */
    static int convOut(int in, int k, int s, int p, int d) {
        return (in + 2 * p - d * (k - 1) - 1) / s + 1;
    }

    /**
     * Pooling output size: like convolution's but rounded up with {@code ceilMode}, where the last
     * window is dropped unless it starts inside the input or the left padding.
     */
    static int poolOut(int in, int k, int s, int p, int d, boolean ceilMode) {
        int span = in + 2 * p - d * (k - 1) - 1;
        int out = (ceilMode ? Math.ceilDiv(span, s) : Math.floorDiv(span, s)) + 1;
        if (ceilMode && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }

    /**
     * {@code y[b, o, i, j] = bias[o] + sum_{c in group(o), u, v} x[b, c, i*sh - ph + u*dh, j*sw - pw + v*dw] * w[o, c', u, v]}
     * with zeros outside the input; {@code w} is {@code [cout, cin/groups, kh, kw]}, {@code bias} may be null.
     */
    static double[] conv2d(double[] x, int n, int cin, int h, int w, double[] wt, double[] bias, int cout, ConvGeometry g,
                           int groups) {
        int oh = convOut(h, g.kernelH(), g.strideH(), g.padH(), g.dilationH());
        int ow = convOut(w, g.kernelW(), g.strideW(), g.padW(), g.dilationW());
        int cinG = cin / groups;
        int coutG = cout / groups;
        double[] y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < cout; o++) {
                int firstIn = (o / coutG) * cinG;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int c = 0; c < cinG; c++) {
                            for (int u = 0; u < g.kernelH(); u++) {
                                int r = i * g.strideH() - g.padH() + u * g.dilationH();
                                for (int v = 0; v < g.kernelW(); v++) {
                                    int q = j * g.strideW() - g.padW() + v * g.dilationW();
                                    if (r >= 0 && r < h && q >= 0 && q < w) {
                                        s += x[((b * cin + firstIn + c) * h + r) * w + q]
                                                * wt[((o * cinG + c) * g.kernelH() + u) * g.kernelW() + v];
                                    }
                                }
                            }
                        }
                        y[((b * cout + o) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return y;
    }

    /** The largest tap of each window (padding is -infinity, so a window with no tap inside gives -infinity). */
    static double[] maxPool2d(double[] x, int n, int c, int h, int w, ConvGeometry g, boolean ceilMode) {
        int oh = poolOut(h, g.kernelH(), g.strideH(), g.padH(), g.dilationH(), ceilMode);
        int ow = poolOut(w, g.kernelW(), g.strideW(), g.padW(), g.dilationW(), ceilMode);
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < g.kernelH(); u++) {
                        int r = i * g.strideH() - g.padH() + u * g.dilationH();
                        for (int v = 0; v < g.kernelW(); v++) {
                            int q = j * g.strideW() - g.padW() + v * g.dilationW();
                            if (r >= 0 && r < h && q >= 0 && q < w) {
                                m = Math.max(m, x[(p * h + r) * w + q]);
                            }
                        }
                    }
                    y[(p * oh + i) * ow + j] = m;
                }
            }
        }
        return y;
    }

    /**
     * The window's sum over a divisor: {@code divisorOverride} when positive, else with
     * {@code countIncludePad} the window clipped to the padded input (so a ceil-mode window hanging
     * over the right padding counts only up to it), else the taps inside the input.
     */
    static double[] avgPool2d(double[] x, int n, int c, int h, int w, ConvGeometry g, boolean ceilMode, boolean countIncludePad,
                              int divisorOverride) {
        int oh = poolOut(h, g.kernelH(), g.strideH(), g.padH(), 1, ceilMode);
        int ow = poolOut(w, g.kernelW(), g.strideW(), g.padW(), 1, ceilMode);
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                int r0 = i * g.strideH() - g.padH();
                int r1 = Math.min(r0 + g.kernelH(), h + g.padH());
                for (int j = 0; j < ow; j++) {
                    int q0 = j * g.strideW() - g.padW();
                    int q1 = Math.min(q0 + g.kernelW(), w + g.padW());
                    int padded = (r1 - r0) * (q1 - q0);
                    double s = 0;
                    int inside = 0;
                    for (int r = Math.max(r0, 0); r < Math.min(r1, h); r++) {
                        for (int q = Math.max(q0, 0); q < Math.min(q1, w); q++) {
                            s += x[(p * h + r) * w + q];
                            inside++;
                        }
                    }
                    int divisor = divisorOverride > 0 ? divisorOverride : countIncludePad ? padded : inside;
                    y[(p * oh + i) * ow + j] = s / divisor;
                }
            }
        }
        return y;
    }

    /** The mean of rows {@code [floor(i*h/oh), ceil((i+1)*h/oh))} and likewise of the columns. */
    static double[] adaptiveAvgPool2d(double[] x, int n, int c, int h, int w, int oh, int ow) {
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                int r0 = Math.floorDiv(i * h, oh);
                int r1 = Math.ceilDiv((i + 1) * h, oh);
                for (int j = 0; j < ow; j++) {
                    int q0 = Math.floorDiv(j * w, ow);
                    int q1 = Math.ceilDiv((j + 1) * w, ow);
                    double s = 0;
                    for (int r = r0; r < r1; r++) {
                        for (int q = q0; q < q1; q++) {
                            s += x[(p * h + r) * w + q];
                        }
                    }
                    y[(p * oh + i) * ow + j] = s / ((r1 - r0) * (q1 - q0));
                }
            }
        }
        return y;
    }
}
