package dev.vquant.ops.conv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.core.TensorChecks;

import java.util.Arrays;

/**
 * The static shape of a 2-D convolution (PyTorch's conventions): weight {@code [Cout, Cin/groups,
 * KH, KW]}, NHWC activations, and which execution path it takes:
 * <ul>
 * <li>{@link Path#DEPTHWISE}: {@code groups == Cin == Cout}, the depthwise kernels;</li>
 * <li>{@link Path#POINTWISE}: 1x1, stride 1, no padding: the NHWC input already is the GEMM's
 * A matrix {@code [N*H*W, Cin]} (a group reads its channel slice through the row stride);</li>
 * <li>{@link Path#IM2COL}: everything else, one GEMM per group over im2col row blocks.</li>
 * </ul>
 * The GEMM weight of group {@code g} is {@code [Cout/groups][KH][KW][Cin/groups]}, matching the
 * im2col row order {@code (ky, kx, c)}.
 */
record ConvSpec(int cin, int cout, int groups, int kh, int kw, ConvGeometry geometry) {

    enum Path { DEPTHWISE, POINTWISE, IM2COL }

    /** Target size of one im2col block in elements: fits L2 next to a weight panel. */
    private static final int BLOCK_ELEMENTS = 96 * 1024;

    /** Validates a PyTorch weight shape against the geometry and groups. */
    static ConvSpec of(String op, int[] weightShape, int groups, ConvGeometry g) {
        if (weightShape.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D weight [out_channels, in_channels/groups, kH, kW], got shape "
                    + Arrays.toString(weightShape));
        }
        if (g == null) {
            throw new IllegalArgumentException(op + ": geometry must not be null");
        }
        if (groups <= 0 || weightShape[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": out_channels " + weightShape[0] + " is not divisible by groups " + groups);
        }
        if (weightShape[2] != g.kernelH() || weightShape[3] != g.kernelW()) {
            throw new IllegalArgumentException(op + ": weight kernel " + weightShape[2] + "x" + weightShape[3]
                    + " does not match the geometry's " + g.kernelH() + "x" + g.kernelW());
        }
        return new ConvSpec(weightShape[1] * groups, weightShape[0], groups, weightShape[2], weightShape[3], g);
    }

    int cinPerGroup() {
        return cin / groups;
    }

    int coutPerGroup() {
        return cout / groups;
    }

    /** GEMM reduction length of one group: {@code KH * KW * Cin/groups}. */
    int kPerGroup() {
        return kh * kw * cinPerGroup();
    }

    Path path() {
        if (groups == cin && groups == cout) {
            return Path.DEPTHWISE;
        }
        if (kh == 1 && kw == 1 && geometry.strideH() == 1 && geometry.strideW() == 1 && geometry.padH() == 0
                && geometry.padW() == 0) {
            return Path.POINTWISE;
        }
        return Path.IM2COL;
    }

    /**
     * Output rows per im2col block for {@code m} output pixels: a multiple of 4 whose block fits
     * {@value #BLOCK_ELEMENTS} elements, but small enough to give ~16 blocks to share among
     * threads (at least 8 rows). It depends on the shape only, never on the thread count, so the
     * GEMM calls, and with them every rounding, are the same however many threads run.
     */
    int blockRows(int m) {
        int byCache = Math.max(4, BLOCK_ELEMENTS / Math.max(1, kPerGroup()) / 4 * 4);
        int bySharing = ((m + 15) / 16 + 3) / 4 * 4;
        return Math.max(8, Math.min(byCache, bySharing));
    }

    /**
     * Checks an NHWC input shape, and that the output fits an int, and returns
     * {@code {N, H, W, outH, outW}}.
     */
    int[] checkInput(String op, int[] shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D NHWC input [N, H, W, C], got shape " + Arrays.toString(shape));
        }
        if (shape[3] != cin) {
            throw new IllegalArgumentException(op + ": expected " + cin + " input channels (NHWC, last dimension), got "
                    + shape[3] + " (shape " + Arrays.toString(shape) + ")");
        }
        int[] d = {shape[0], shape[1], shape[2], outH(op, shape[1]), outW(op, shape[2])};
        TensorChecks.outputSize(op, d[0], d[3], d[4], cout);
        return d;
    }

    /**
     * {@link #checkInput(String, int[])} for a tensor, allocating nothing when it is valid; the
     * output extents are then {@link #outH} and {@link #outW} of its height and width.
     */
    void checkInput(String op, dev.vquant.engine.QTensor x) {
        if (x.rank() != 4 || x.dim(3) != cin) {
            checkInput(op, x.shape()); // throws, naming the shape
        }
        TensorChecks.outputSize(op, x.dim(0), outH(op, x.dim(1)), outW(op, x.dim(2)), cout);
    }

    /** Output height for input height {@code h}, or an exception naming {@code op} when the window does not fit. */
    int outH(String op, int h) {
        try {
            return geometry.outH(h);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    /** Output width for input width {@code w}, or an exception naming {@code op} when the window does not fit. */
    int outW(String op, int w) {
        try {
            return geometry.outW(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    /** PyTorch {@code [Cout][Cin/g][KH][KW]} to one {@code [Cout/g][KH][KW][Cin/g]} matrix per group. */
    byte[][] groupMatrices(byte[] w) {
        byte[][] out = new byte[groups][coutPerGroup() * kPerGroup()];
        forEachWeight((src, g, dst) -> out[g][dst] = w[src]);
        return out;
    }

    /** float32 twin of {@link #groupMatrices(byte[])}. */
    float[][] groupMatrices(float[] w) {
        float[][] out = new float[groups][coutPerGroup() * kPerGroup()];
        forEachWeight((src, g, dst) -> out[g][dst] = w[src]);
        return out;
    }

    private interface WeightMove {
        void move(int src, int group, int dst);
    }

    private void forEachWeight(WeightMove m) {
        int cg = cinPerGroup();
        int og = coutPerGroup();
        for (int o = 0; o < cout; o++) {
            int g = o / og;
            int row = (o % og) * kPerGroup();
            for (int c = 0; c < cg; c++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        m.move(((o * cg + c) * kh + y) * kw + x, g, row + (y * kw + x) * cg + c);
                    }
                }
            }
        }
    }
}
