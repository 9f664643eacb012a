package dev.vquant.quant.autograd;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.quant.Tensor;

/**
 * Backwards of the float pools over PyTorch's windows (NHWC, the output's rows and columns as the
 * forward sized them, ceil_mode included): max pooling routes each output's gradient to the first
 * maximal tap in row-major window order (the last NaN when there is one), as ATen's CPU kernel
 * picks it; average pooling spreads it evenly over the in-image taps with the forward's divisor.
 */
public final class PoolGrad {
    private PoolGrad() {
    }

    /** The NHWC dimensions of one pooling call. */
    private record Dims(int n, int h, int w, int c, int outH, int outW) {
        static Dims of(Tensor x, Tensor y) {
            return new Dims(x.dim(0), x.dim(2), x.dim(3), x.dim(1), y.dim(2), y.dim(3));
        }
    }

    /**
     * Records {@code y = max_pool2d(x)} over {@code g}'s windows.
     *
     * @param tape the tape to record on
     * @param x    the input {@code [N, C, H, W]}
     * @param y    the forward's output
     * @param g    the window size, stride, padding and dilation
     */
    public static void max(GradTape tape, Tensor x, Tensor y, ConvGeometry g) {
        Dims d = Dims.of(x, y);
        float[] xs = Layouts.nhwc(x, "MaxPool2d backward");
        tape.record(y, (grad, needs) -> {
            float[] gy = Layouts.storageToNhwc(y, grad);
            float[] dx = new float[xs.length];
            for (int b = 0; b < d.n; b++) {
                for (int oy = 0; oy < d.outH; oy++) {
                    int y0 = oy * g.strideH() - g.padH();
                    for (int ox = 0; ox < d.outW; ox++) {
                        int x0 = ox * g.strideW() - g.padW();
                        int go = ((b * d.outH + oy) * d.outW + ox) * d.c;
                        for (int ch = 0; ch < d.c; ch++) {
                            int best = -1;
                            float bestValue = Float.NEGATIVE_INFINITY;
                            for (int ky = 0; ky < g.kernelH(); ky++) {
                                int iy = y0 + ky * g.dilationH();
                                if (iy < 0 || iy >= d.h) {
                                    continue;
                                }
                                for (int kx = 0; kx < g.kernelW(); kx++) {
                                    int ix = x0 + kx * g.dilationW();
                                    if (ix < 0 || ix >= d.w) {
                                        continue;
                                    }
                                    int at = ((b * d.h + iy) * d.w + ix) * d.c + ch;
                                    if (best < 0 || xs[at] > bestValue || Float.isNaN(xs[at])) {
                                        best = at;
                                        bestValue = xs[at];
                                    }
                                }
                            }
                            if (best >= 0) {
                                dx[best] += gy[go + ch];
                            }
                        }
                    }
                }
            }
            return new float[][]{Layouts.nhwcToStorage(x, dx)};
        }, x);
    }

    /**
     * Records {@code y = avg_pool2d(x)} over {@code g}'s windows (no dilation) with PyTorch's
     * divisor: {@code divisorOverride} when positive, else the window's extent clipped to the padded
     * input ({@code countIncludePad}) or its in-image tap count.
     *
     * @param tape the tape to record on
     * @param x               the input {@code [N, C, H, W]}
     * @param y               the forward's output
     * @param g               the window size, stride and padding
     * @param countIncludePad whether padding counts in the divisor ({@code count_include_pad})
     * @param divisorOverride the divisor ({@code divisor_override}), or 0 for none
     */
    public static void average(GradTape tape, Tensor x, Tensor y, ConvGeometry g, boolean countIncludePad, int divisorOverride) {
        Dims d = Dims.of(x, y);
        recordAverage(tape, x, y, d, (oy, ox, win) -> {
            int ys = oy * g.strideH() - g.padH();
            int ye = Math.min(ys + g.kernelH(), d.h + g.padH());
            int xs = ox * g.strideW() - g.padW();
            int xe = Math.min(xs + g.kernelW(), d.w + g.padW());
            win[0] = Math.max(ys, 0);
            win[1] = Math.min(ye, d.h);
            win[2] = Math.max(xs, 0);
            win[3] = Math.min(xe, d.w);
            int taps = Math.max(0, win[1] - win[0]) * Math.max(0, win[3] - win[2]);
            win[4] = divisorOverride > 0 ? divisorOverride : countIncludePad ? (ye - ys) * (xe - xs) : taps;
        });
    }

    /**
     * Records {@code y = adaptive_avg_pool2d(x)}: windows {@code [floor(o*in/out), ceil((o+1)*in/out))} in float32, as the forward.
     *
     * @param tape the tape to record on
     * @param x    the input {@code [N, C, H, W]}
     * @param y    the forward's output {@code [N, C, outH, outW]}
     */
    public static void adaptiveAverage(GradTape tape, Tensor x, Tensor y) {
        Dims d = Dims.of(x, y);
        recordAverage(tape, x, y, d, (oy, ox, win) -> {
            win[0] = (int) Math.floor((float) ((long) oy * d.h) / d.outH);
            win[1] = (int) Math.ceil((float) ((oy + 1L) * d.h) / d.outH);
            win[2] = (int) Math.floor((float) ((long) ox * d.w) / d.outW);
            win[3] = (int) Math.ceil((float) ((ox + 1L) * d.w) / d.outW);
            win[4] = (win[1] - win[0]) * (win[3] - win[2]);
        });
    }

    /** An average window: fills {@code {y0, y1, x0, x1, divisor}} for output {@code (oy, ox)}, in-image bounds exclusive. */
    private interface AverageWindow {
        void of(int oy, int ox, int[] win);
    }

    private static void recordAverage(GradTape tape, Tensor x, Tensor y, Dims d, AverageWindow window) {
        tape.record(y, (grad, needs) -> {
            float[] gy = Layouts.storageToNhwc(y, grad);
            float[] dx = new float[d.n * d.h * d.w * d.c];
            int[] win = new int[5];
            for (int b = 0; b < d.n; b++) {
                for (int oy = 0; oy < d.outH; oy++) {
                    for (int ox = 0; ox < d.outW; ox++) {
                        window.of(oy, ox, win);
                        spread(gy, ((b * d.outH + oy) * d.outW + ox) * d.c, dx, d, b, win);
                    }
                }
            }
            return new float[][]{Layouts.nhwcToStorage(x, dx)};
        }, x);
    }

    /** Adds {@code gy[go + c] / divisor} onto every channel of the window {@code win}. */
    private static void spread(float[] gy, int go, float[] dx, Dims d, int b, int[] win) {
        float divisor = win[4];
        for (int iy = win[0]; iy < win[1]; iy++) {
            for (int ix = win[2]; ix < win[3]; ix++) {
                int at = ((b * d.h + iy) * d.w + ix) * d.c;
                for (int ch = 0; ch < d.c; ch++) {
                    dx[at + ch] += gy[go + ch] / divisor;
                }
            }
        }
    }
}
