package dev.vquant.quant.nn;

import dev.vquant.engine.QTensor;
import dev.vquant.ops.convert.Layout;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.Elementwise;
import dev.vquant.quant.autograd.GradTape;

import java.util.Arrays;

/**
 * Merges dimensions {@code start_dim..end_dim} into one, PyTorch's {@code nn.Flatten(start_dim=1,
 * end_dim=-1)} and {@code torch.flatten}: elements in PyTorch's logical order, so a channels-last
 * image flattens channel-major ({@code c*H*W + y*W + x}) exactly as the Linear trained in PyTorch
 * expects (the common {@code [N, C, H, W] -> [N, C*H*W]} case runs on ops'
 * {@link dev.vquant.ops.convert.Flatten}, a plain reshape when {@code H = W = 1}). A reshape, so
 * quantized tensors flatten too (values and qparams unchanged).
 */
public final class Flatten extends Module {
    private static final dev.vquant.ops.convert.Flatten FROM_DIM_1 = new dev.vquant.ops.convert.Flatten();

    private final int startDim;
    private final int endDim;

    /** {@code start_dim=1, end_dim=-1}. */
    public Flatten() {
        this(1, -1);
    }

    /**
     * Dimensions may be negative (counted from the end), as in PyTorch.
     *
     * @param startDim the first dimension merged ({@code start_dim})
     * @param endDim   the last dimension merged ({@code end_dim})
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /**
     * {@code torch.flatten(x, startDim)}.
     *
     * @param x        the input
     * @param startDim the first dimension merged, through the last
     * @return {@code x}'s elements in the flattened shape
     * @throws IllegalArgumentException when {@code startDim} is out of range
     */
    public static Tensor apply(Tensor x, int startDim) {
        return apply(x, startDim, -1);
    }

    /**
     * {@code torch.flatten(x, startDim, endDim)}.
     *
     * @param x        the input
     * @param startDim the first dimension merged
     * @param endDim   the last dimension merged
     * @return {@code x}'s elements in the flattened shape
     * @throws IllegalArgumentException when a dimension is out of range or start comes after end
     */
    public static Tensor apply(Tensor x, int startDim, int endDim) {
        int rank = x.rank();
        int s = normalize(startDim, rank, x);
        int e = normalize(endDim, rank, x);
        if (s > e) {
            throw new IllegalArgumentException("flatten: start_dim " + startDim + " comes after end_dim " + endDim + " for shape "
                    + Arrays.toString(x.shape()));
        }
        if (rank == 0 || s == e) {
            return x;
        }
        Tensor y = merged(x, s, e);
        GradTape tape = x.isQuantized() ? null : GradTape.recording();
        if (tape != null) {
            Elementwise.reshape(tape, x, y);
        }
        return y;
    }

    /** {@code x} with dimensions {@code s..e} merged (s &lt; e, both in range). */
    private static Tensor merged(Tensor x, int s, int e) {
        int rank = x.rank();
        boolean channelsLast = x.memoryFormat() == Tensor.MemoryFormat.CHANNELS_LAST;
        if (channelsLast && s == 1 && e == 3) {
            return x.isQuantized()
                    ? Tensor.fromEngine(FROM_DIM_1.forward(x.engineQuantized("flatten")))
                    : Tensor.fromEngine(FROM_DIM_1.forward(x.engineFloat("flatten")));
        }
        int[] shape = x.shape();
        int[] out = new int[rank - (e - s)];
        int merged = 1;
        for (int d = s; d <= e; d++) {
            merged *= shape[d];
        }
        System.arraycopy(shape, 0, out, 0, s);
        out[s] = merged;
        System.arraycopy(shape, e + 1, out, s + 1, rank - e - 1);
        if (!x.isQuantized()) {
            return Tensor.of(x.toFloatArray(), out);
        }
        QTensor q = x.engineQuantized("flatten");
        byte[] data = q.bytes();
        if (channelsLast) {
            data = Layout.nhwcToNchw(data, shape[0], shape[2], shape[3], shape[1]);
        }
        return Tensor.fromEngine(QTensor.of(data, out, q.qparams()));
    }

    private static int normalize(int dim, int rank, Tensor x) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IllegalArgumentException("flatten: dimension " + dim + " out of range for shape " + Arrays.toString(x.shape()));
        }
        return dim < 0 ? dim + r : dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x, startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
