package dev.vquant.quant.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.nn.FloatEmbedding;
import dev.vquant.quant.Tensor;

import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.Embedding(num_embeddings, embedding_dim)}: a table {@code weight
 * [num_embeddings, embedding_dim]} initialized {@code N(0, 1)} (PyTorch's default), looked up by
 * index. Indices come as a float tensor of whole numbers (vquant's tensors are float or
 * quantized) or as an {@code int[]} ({@link #lookup}); output {@code [*indices.shape,
 * embedding_dim]}.
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Parameter weight;
    private volatile OperatorCache<FloatEmbedding> cache;

    /**
     * Initialized from the process-wide seed sequence ({@link Init#nextSeed()}).
     *
     * @param numEmbeddings the number of rows ({@code num_embeddings})
     * @param embeddingDim  the width of each row ({@code embedding_dim})
     * @throws IllegalArgumentException when a size is not positive
     */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, Init.nextSeed());
    }

    /**
     * A table of {@code numEmbeddings} rows of {@code embeddingDim} values drawn from {@code N(0, 1)}, as PyTorch initialises it.
     *
     * @param numEmbeddings the number of rows ({@code num_embeddings})
     * @param embeddingDim  the width of each row ({@code embedding_dim})
     * @param seed seed of the initial table
     * @throws IllegalArgumentException when a size is not positive
     */
    public Embedding(int numEmbeddings, int embeddingDim, long seed) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be > 0, got " + numEmbeddings
                    + " and " + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.weight = registerParameter("weight", Parameter.zeros(numEmbeddings, embeddingDim));
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = weight.data();
        for (int i = 0; i < w.length; i += 2) {
            // Box-Muller: two standard normals from two uniforms
            double u1 = 1 - random.nextDouble();
            double u2 = random.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1));
            w[i] = (float) (rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < w.length) {
                w[i + 1] = (float) (rad * Math.sin(2 * Math.PI * u2));
            }
        }
    }

    /** {@return {@code num_embeddings}} */
    public int numEmbeddings() {
        return numEmbeddings;
    }

    /** {@return {@code embedding_dim}} */
    public int embeddingDim() {
        return embeddingDim;
    }

    /** {@return {@code weight [num_embeddings, embedding_dim]}} */
    public Parameter weight() {
        return weight;
    }

    /**
     * Looks up the indices held (as whole numbers) in the float tensor {@code x}.
     *
     * @throws IllegalArgumentException when x is quantized, or holds a value that is not a whole
     *                                  number in {@code [0, num_embeddings)} (naming it and its position)
     */
    @Override
    public Tensor forward(Tensor x) {
        float[] v = x.contiguousFloat(this).data();
        int[] idx = OutputArena.ints(v.length);
        for (int i = 0; i < v.length; i++) {
            float f = v[i];
            if (f != Math.rint(f) || f < 0 || f >= numEmbeddings) {
                throw new IllegalArgumentException(this + ": index " + f + " at position " + i + " is not a whole number in [0, "
                        + numEmbeddings + ")");
            }
            idx[i] = (int) f;
        }
        int[] shape = OutputArena.ints(x.rank()); // the ids' shape (read, not kept, by the lookup): an arena array in a scope
        for (int d = 0; d < shape.length; d++) {
            shape[d] = x.dim(d);
        }
        return lookup(idx, shape);
    }

    /**
     * The rows of {@code indices} laid out as {@code shape}.
     *
     * @param indices row indices, in {@code [0, num_embeddings)}
     * @param shape   the shape of the indices; the result is {@code [*shape, embedding_dim]}
     * @return a new float tensor {@code [*shape, embedding_dim]}
     * @throws IllegalArgumentException for an index outside {@code [0, num_embeddings)} or a shape
     *                                  that does not hold the indices
     */
    public Tensor lookup(int[] indices, int... shape) {
        if (!OperatorCache.isCurrent(cache, weight)) { // no lambda nor varargs array per call
            cache = OperatorCache.refresh(cache, () -> new FloatEmbedding(FloatTensor.of(weight.data(), numEmbeddings, embeddingDim)),
                    weight);
        }
        return Tensor.fromEngine(cache.operator().forward(indices, shape));
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
