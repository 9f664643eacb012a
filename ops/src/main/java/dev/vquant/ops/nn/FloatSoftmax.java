package dev.vquant.ops.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
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
        if (x.rank() < 1) {
            TensorChecks.minRank(NAME, x.shape(), 1, "[*, N]"); // throws, naming the shape
        }
        int n = x.dim(x.rank() - 1);
        float[] in = x.data();
        float[] out = OutputArena.floats(in.length);
        if (n > 0) {
            int t = Threads.resolve(threads);
            int rows = in.length / n;
            if (Rows.inline(rows, n, t)) { // one range: no capturing lambda per call
                rows(in, out, n, 0, rows, RowKernels.scratch());
            } else {
                Rows.run(rows, n, t, (s, e, scratch) -> rows(in, out, n, s, e, scratch));
            }
        }
        return OutputTensors.floatsLike(out, x);
    }

    private static void rows(float[] in, float[] out, int n, int s, int e, float[] scratch) {
        for (int r = s; r < e; r++) {
            RowKernels.softmax(in, r * n, out, r * n, n, scratch);
        }
    }
}
