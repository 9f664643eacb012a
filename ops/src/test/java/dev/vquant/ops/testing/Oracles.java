package dev.vquant.ops.testing;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;

/**
 * Plain double-precision definitions the operators are checked against ("dequantize -> float
 * reference -> quantize"): exact integer accumulators, then real-valued output before rounding.
 */
public final class Oracles {
    private Oracles() {
    }

    /** Real-valued quantized-output estimate {@code acc*sx*sw/sOut + bias/sOut} for Linear ({@code [m][n]}). */
    public static double[] linear(QTensor x, QTensor w, float[] bias, double outScale) {
        int k = w.dim(1);
        int n = w.dim(0);
        int m = x.numel() / k;
        QParams xq = x.qparams();
        QParams wq = w.qparams();
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long acc = 0;
                for (int kk = 0; kk < k; kk++) {
                    acc += (long) (x.intAt(i * k + kk) - xq.zeroPoint(0)) * (w.intAt(j * k + kk) - wq.zeroPoint(j));
                }
                y[i * n + j] = (acc * xq.scale(0) * wq.scale(j) + (bias == null ? 0 : bias[j])) / outScale;
            }
        }
        return y;
    }

    /** As {@link #linear} for an NHWC convolution with PyTorch-order weights; output NHWC. */
    public static double[] conv(QTensor x, QTensor w, float[] bias, ConvGeometry g, int groups, double outScale) {
        int n = x.dim(0);
        int h = x.dim(1);
        int wd = x.dim(2);
        int cin = x.dim(3);
        int cout = w.dim(0);
        int cg = w.dim(1);
        int og = cout / groups;
        int oh = g.outH(h);
        int ow = g.outW(wd);
        int zx = x.qparams().zeroPoint(0);
        QParams wq = w.qparams();
        double[] y = new double[n * oh * ow * cout];
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int o = 0; o < cout; o++) {
                        int grp = o / og;
                        long acc = 0;
                        for (int c = 0; c < cg; c++) {
                            for (int ky = 0; ky < g.kernelH(); ky++) {
                                for (int kx = 0; kx < g.kernelW(); kx++) {
                                    int iy = oy * g.strideH() - g.padH() + ky * g.dilationH();
                                    int ix = ox * g.strideW() - g.padW() + kx * g.dilationW();
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    int xv = x.intAt(((b * h + iy) * wd + ix) * cin + grp * cg + c) - zx;
                                    int wv = w.intAt(((o * cg + c) * g.kernelH() + ky) * g.kernelW() + kx) - wq.zeroPoint(o);
                                    acc += (long) xv * wv;
                                }
                            }
                        }
                        y[((b * oh + oy) * ow + ox) * cout + o] =
                                (acc * x.qparams().scale(0) * wq.scale(o) + (bias == null ? 0 : bias[o])) / outScale;
                    }
                }
            }
        }
        return y;
    }

    /** {@code clamp(rint(v) + zp, lo, 255)}. */
    public static int quantizeReal(double v, int zp, int lo) {
        double r = Math.rint(v) + zp;
        return (int) Math.max(lo, Math.min(255, r));
    }

    /** Dequantized real value of element {@code i} of a per-tensor tensor. */
    public static double dq(QTensor t, int i) {
        return (t.intAt(i) - t.qparams().zeroPoint(0)) * t.qparams().scale(0);
    }
}
