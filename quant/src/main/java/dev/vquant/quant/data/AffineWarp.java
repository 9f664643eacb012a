package dev.vquant.quant.data;

import dev.vquant.quant.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False), mode='bilinear',
 * padding_mode='zeros', align_corners=False)}: each output pixel samples the input bilinearly at
 * {@code theta · (x, y, 1)}, in normalized coordinates ([-1, 1] spans the image's outer pixel
 * edges), zero outside. {@code theta} maps output to input (the inverse of the visible motion).
 *
 * <p>Bit for bit as PyTorch 1.13 computes it on x86-64 (golden/augment.json): the base grid is
 * {@code linspace(-1, 1, W) * (W - 1) / W} with ATen's linspace arithmetic (fused multiply-adds
 * from either end, 8-lane ramps), the grid a plain float32 sum {@code (x·t0 + y·t1) + t2}, the
 * unnormalization {@code fma(g + 1, W / 2, -0.5)} and the four corner products accumulated with
 * fused multiply-adds, as GCC contracts ATen's vector code.
 */
public final class AffineWarp {
    /** ATen's float vector width where linspace's vector ramps start (AVX2: 8 lanes, 2 vectors per step). */
    private static final int LANES = 8;

    private AffineWarp() {
    }

    /**
     * Warps a batch.
     *
     * @return the warped batch, a new float tensor of {@code images}' shape
     * @param images {@code [N, C, H, W]} float
     * @param theta  {@code N * 6} values, {@code [N, 2, 3]} row-major: per image
     *               {@code x_in = t0 x + t1 y + t2}, {@code y_in = t3 x + t4 y + t5}
     * @throws IllegalArgumentException when the batch is not rank 4, theta's length is not
     *                                  {@code 6 N}, or theta holds a NaN or infinity
     */
    public static Tensor apply(Tensor images, float[] theta) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(theta, "theta");
        int[] shape = images.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("affine warp: images must be [N, C, H, W], got " + Arrays.toString(shape));
        }
        int n = shape[0];
        int c = shape[1];
        int h = shape[2];
        int w = shape[3];
        if (theta.length != 6 * n) {
            throw new IllegalArgumentException("affine warp: theta must hold 6 values per image ([N, 2, 3]) for " + n
                    + " images, got " + theta.length);
        }
        for (int i = 0; i < theta.length; i++) {
            if (!Float.isFinite(theta[i])) {
                throw new IllegalArgumentException("affine warp: theta[" + i + "] is " + theta[i]);
            }
        }
        float[] x = images.toFloatArray();
        float[] y = new float[x.length];
        float[] baseX = baseGrid(w);
        float[] baseY = baseGrid(h);
        int plane = h * w;
        float sx = w / 2f;
        float sy = h / 2f;
        for (int b = 0; b < n; b++) {
            int t = 6 * b;
            for (int oh = 0; oh < h; oh++) {
                for (int ow = 0; ow < w; ow++) {
                    // affine_grid: [x, y, 1] @ theta^T as BLAS sums it
                    float gx = (baseX[ow] * theta[t] + baseY[oh] * theta[t + 1]) + theta[t + 2];
                    float gy = (baseX[ow] * theta[t + 3] + baseY[oh] * theta[t + 4]) + theta[t + 5];
                    float ix = Math.fma(gx + 1f, sx, -0.5f);
                    float iy = Math.fma(gy + 1f, sy, -0.5f);
                    float xw = (float) Math.floor(ix);
                    float yn = (float) Math.floor(iy);
                    float we = ix - xw;
                    float e = 1f - we;
                    float ns = iy - yn;
                    float s = 1f - ns;
                    float nw = s * e;
                    float ne = s * we;
                    float sw = ns * e;
                    float se = ns * we;
                    int x0 = (int) xw;
                    int y0 = (int) yn;
                    boolean west = x0 > -1 && x0 < w;
                    boolean east = x0 + 1 > -1 && x0 + 1 < w;
                    boolean north = y0 > -1 && y0 < h;
                    boolean south = y0 + 1 > -1 && y0 + 1 < h;
                    for (int ch = 0; ch < c; ch++) {
                        int base = (b * c + ch) * plane;
                        float vnw = west && north ? x[base + y0 * w + x0] : 0f;
                        float vne = east && north ? x[base + y0 * w + x0 + 1] : 0f;
                        float vsw = west && south ? x[base + (y0 + 1) * w + x0] : 0f;
                        float vse = east && south ? x[base + (y0 + 1) * w + x0 + 1] : 0f;
                        y[base + oh * w + ow] = Math.fma(vse, se, Math.fma(vsw, sw, Math.fma(vne, ne, vnw * nw)));
                    }
                }
            }
        }
        return Tensor.of(y, shape);
    }

    /**
     * ATen's {@code linspace(-1, 1, size) * (size - 1) / size} (affine_grid's pixel centres for
     * {@code align_corners=False}): the first half counts up from -1, the second down from 1, each
     * with one fused multiply-add, except that full vectors of {@value #LANES} (in pairs) are ramps
     * {@code base + j * step} from their first element.
     */
    static float[] baseGrid(int size) {
        float[] out = new float[size];
        if (size <= 1) {
            return out;
        }
        float step = 2f / (size - 1);
        int half = size / 2;
        int idx = 0;
        while (idx + 2 * LANES <= size) {
            for (int v = 0; v < 2; v++) {
                float base = linspaceAt(idx, size, step, half);
                for (int j = 0; j < LANES; j++) {
                    out[idx + j] = base + j * step;
                }
                idx += LANES;
            }
        }
        for (; idx < size; idx++) {
            out[idx] = linspaceAt(idx, size, step, half);
        }
        for (int i = 0; i < size; i++) {
            out[i] = out[i] * (size - 1) / size;
        }
        return out;
    }

    private static float linspaceAt(int idx, int size, float step, int half) {
        return idx < half ? Math.fma(step, idx, -1f) : Math.fma(-step, size - idx - 1, 1f);
    }
}
