package dev.vquant.ops.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Softmax over the last dimension, PyTorch's {@code softmax(x, dim=-1)} in float32: per row the
 * maximum is subtracted before the exponentials ({@link dev.vquant.ops.math.VectorMath#exp}), so no
 * finite input overflows; the sum is taken in a fixed order and the row multiplied by its
 * reciprocal. A row holding +inf or only -inf gives NaN, as PyTorch. Any rank >= 1. Immutable and
 * thread-safe.
 */
public final class FloatSoftmax implements FloatOperator {
    private static final String NAME = "FloatSoftmax";
    private final int threads;

    /**
     * A softmax over the last dimension.
     *
     * @param threads threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException for a negative thread count
     */
    public FloatSoftmax(int threads) {
        this.threads = TensorChecks.threads(NAME, threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a null input or engine, or a rank-0 input
     */
    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(NAME, "input", x);
        TensorChecks.engine(NAME, engine);
        int[] shape = x.shape();
        TensorChecks.minRank(NAME, shape, 1, "[*, N]");
        int n = shape[shape.length - 1];
        float[] in = x.data();
        float[] out = OutputArena.floats(in.length);
        if (n > 0) {
            Rows.run(in.length / n, n, Threads.resolve(threads), (s, e, scratch) -> {
                for (int r = s; r < e; r++) {
                    RowKernels.softmax(in, r * n, out, r * n, n, scratch);
                }
            });
        }
        return FloatTensor.of(out, shape);
    }
}
