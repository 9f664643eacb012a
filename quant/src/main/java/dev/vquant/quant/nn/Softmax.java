package dev.vquant.quant.nn;

import dev.vquant.ops.nn.FloatSoftmax;
import dev.vquant.quant.Tensor;

import java.util.Arrays;

/**
 * PyTorch's {@code nn.Softmax(dim)} and {@code F.softmax(x, dim)} ({@link #apply}) over the last
 * dimension ({@code dim = -1} or {@code rank - 1}), max-subtracted, on ops' {@link FloatSoftmax}.
 * Other dimensions are not supported yet and are rejected with a message.
 */
public final class Softmax extends Module {
    private static final FloatSoftmax OP = new FloatSoftmax(0);
    private final int dim;

    /**
     * PyTorch's {@code nn.Softmax(dim)}; only the last dimension is supported (checked at forward).
     *
     * @param dim the dimension to normalize: the last one, as {@code -1} or its index
     */
    public Softmax(int dim) {
        this.dim = dim;
    }

    /** @throws IllegalArgumentException when dim is not the last dimension of x, or x is quantized */
    @Override
    public Tensor forward(Tensor x) {
        return apply(x, dim);
    }

    /**
     * {@code F.softmax(x, dim)} for the last dimension.
     *
     * @param x   the float input
     * @param dim the last dimension, as {@code -1} or its index
     * @return a new tensor of {@code x}'s shape, each row along {@code dim} summing to 1
     * @throws IllegalArgumentException when dim is not the last dimension of x, x has rank 0, or x is quantized
     */
    public static Tensor apply(Tensor x, int dim) {
        int rank = x.rank();
        if (rank == 0 || (dim != -1 && dim != rank - 1)) {
            throw new IllegalArgumentException("softmax: only the last dimension (-1 or " + (rank - 1) + ") is supported, got dim "
                    + dim + " for shape " + Arrays.toString(x.shape()));
        }
        return Tensor.fromEngine(OP.forward(x.contiguousFloat("softmax")));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
