package dev.vquant.ops.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.TensorChecks;

import java.util.Arrays;

/**
 * An embedding table lookup, PyTorch's {@code F.embedding(indices, weight)}: weight
 * {@code [num_embeddings, embedding_dim]}, indices of any shape, output {@code [*indices.shape,
 * embedding_dim]} (rows copied). Every index is checked before anything is copied. Immutable and
 * thread-safe.
 */
public final class FloatEmbedding {
    private static final String NAME = "FloatEmbedding";
    private final float[] weight;
    private final int num;
    private final int dim;

    /**
     * An embedding table ({@code nn.Embedding}) over a copy of {@code weight}.
     *
     * @param weight {@code [num_embeddings, embedding_dim]} (copied)
     * @throws IllegalArgumentException for a null weight or one that is not 2-D with positive dimensions
     */
    public FloatEmbedding(FloatTensor weight) {
        TensorChecks.notNull(NAME, "weight", weight);
        if (weight.rank() != 2 || weight.dim(0) <= 0 || weight.dim(1) <= 0) {
            throw new IllegalArgumentException(NAME + ": expected a weight [num_embeddings, embedding_dim] with positive sizes, got "
                    + Arrays.toString(weight.shape()));
        }
        this.weight = weight.data().clone();
        this.num = weight.dim(0);
        this.dim = weight.dim(1);
    }

    /** {@return {@code num_embeddings}, the rows of the table} */
    public int numEmbeddings() {
        return num;
    }

    /** {@return {@code embedding_dim}, the length of a row} */
    public int embeddingDim() {
        return dim;
    }

    /**
     * The rows of {@code indices} (laid out as {@code shape}).
     *
     * @param indices the row indices, row-major
     * @param shape   the shape of {@code indices}
     * @return a new {@code [*shape, embedding_dim]} tensor
     * @throws IllegalArgumentException for null arguments, a shape that does not hold
     *                                  {@code indices.length} elements, an output over
     *                                  {@code 2^31-1} elements, or an index outside
     *                                  {@code [0, num_embeddings)} (naming its position)
     */
    public FloatTensor forward(int[] indices, int... shape) {
        TensorChecks.notNull(NAME, "indices", indices);
        TensorChecks.notNull(NAME, "shape", shape);
        if (anyNegative(shape) || TensorChecks.outputSize(NAME, shape) != indices.length) {
            throw new IllegalArgumentException(NAME + ": shape " + Arrays.toString(shape) + " does not hold " + indices.length
                    + " indices");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= num) {
                throw new IllegalArgumentException(NAME + ": index " + indices[i] + " at position " + i
                        + " is out of range for " + num + " embeddings");
            }
        }
        float[] out = OutputArena.floats(TensorChecks.outputSize(NAME, indices.length, dim));
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(weight, indices[i] * dim, out, i * dim, dim);
        }
        if (shape.length == 2) { // the common [T, B] / [B, T] ids: no shape array in a reused arena scope
            return OutputTensors.floats(out, shape[0], shape[1], dim);
        }
        int[] outShape = Arrays.copyOf(shape, shape.length + 1);
        outShape[shape.length] = dim;
        return OutputTensors.floats(out, outShape);
    }

    private static boolean anyNegative(int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                return true;
            }
        }
        return false;
    }
}
