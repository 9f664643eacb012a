package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/** float32 twin of {@link QAdaptiveAvgPool2d} (same windows), NHWC. Immutable and thread-safe. */
public final class FloatAdaptiveAvgPool2d implements FloatOperator {
    private final int outH;
    private final int outW;
    private final int threads;

    /**
     * @param outH    output height ({@code > 0})
     * @param outW    output width ({@code > 0})
     * @param threads threads, 0 for {@link Threads#get()}
     * @throws IllegalArgumentException naming the operator for a non-positive output size or a
     *                                  negative thread count
     */
    public FloatAdaptiveAvgPool2d(int outH, int outW, int threads) {
        PoolShape.checkAdaptiveSize("FloatAdaptiveAvgPool2d", outH, outW);
        this.outH = outH;
        this.outW = outW;
        this.threads = TensorChecks.threads("FloatAdaptiveAvgPool2d", threads);
    }

    @Override
    public String name() {
        return "FloatAdaptiveAvgPool2d";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not an NHWC tensor with non-zero H, W and C, or an output over
     *                                  {@code 2^31-1} elements
     */
    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        TensorChecks.notNull(name(), "input", x);
        TensorChecks.engine(name(), engine);
        int[] d = PoolShape.checkAdaptive(name(), x.shape(), outH, outW);
        float[] out = new float[d[0] * outH * outW * d[3]];
        PoolLoop.adaptive(d, outH, outW, Threads.resolve(threads),
                () -> new FloatWindow(x.data(), out, d[2], d[3], (taps, padded) -> taps));
        return FloatTensor.of(out, d[0], outH, outW, d[3]);
    }
}
