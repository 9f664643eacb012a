package dev.vquant.ops.elementwise;

import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.TensorChecks;

import java.util.List;

/** float32 twin of {@link QCat}: concatenation along {@code dim}. Immutable and thread-safe. */
public final class FloatCat {
    private final int dim;

    /**
     * A concatenation along {@code dim} ({@code torch.cat(tensors, dim)}).
     *
     * @param dim the dimension to concatenate along ({@code >= 0})
     * @throws IllegalArgumentException for a negative dimension
     */
    public FloatCat(int dim) {
        if (dim < 0) {
            throw new IllegalArgumentException("FloatCat: dimension must be >= 0, got " + dim);
        }
        this.dim = dim;
    }

    /**
     * Concatenates {@code inputs}.
     *
     * @param inputs the tensors, in order
     * @return a new tensor holding the inputs one after the other along {@code dim}
     * @throws IllegalArgumentException for a null or empty list, a null input, shapes that differ
     *                                  off {@code dim} or have no dimension {@code dim}, or an output
     *                                  over {@code 2^31-1} elements
     */
    public FloatTensor forward(List<FloatTensor> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("FloatCat: expected at least one input tensor");
        }
        for (FloatTensor t : inputs) {
            TensorChecks.notNull("FloatCat", "input", t);
        }
        CatShape cs = CatShape.of("FloatCat", dim, inputs.stream().map(FloatTensor::shape).toList());
        int outer = cs.outer();
        int inner = cs.inner();
        int total = cs.total();
        float[] out = OutputArena.floats(outer * total * inner);
        int offset = 0;
        for (FloatTensor t : inputs) {
            int block = t.dim(dim) * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data(), o * block, out, o * total * inner + offset, block);
            }
            offset += block;
        }
        int[] shape = cs.outShape();
        return FloatTensor.of(out, shape);
    }
}
