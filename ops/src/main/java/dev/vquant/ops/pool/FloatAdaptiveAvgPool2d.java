package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.Threads;

/** float32 twin of {@link QAdaptiveAvgPool2d} (same windows), NHWC. Immutable and thread-safe. */
public final class FloatAdaptiveAvgPool2d implements FloatOperator {
    private final int outH;
    private final int outW;
    private final int threads;

    public FloatAdaptiveAvgPool2d(int outH, int outW, int threads) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("FloatAdaptiveAvgPool2d: output size must be > 0, got " + outH + "x" + outW);
        }
        this.outH = outH;
        this.outW = outW;
        this.threads = threads;
    }

    @Override
    public String name() {
        return "FloatAdaptiveAvgPool2d";
    }

    @Override
    public FloatTensor forward(FloatTensor x, KernelBackend engine) {
        int[] d = PoolShape.checkAdaptive(name(), x.shape(), outH, outW);
        float[] out = new float[d[0] * outH * outW * d[3]];
        PoolLoop.adaptive(d, outH, outW, Threads.resolve(threads),
                () -> new FloatWindow(x.data(), out, d[2], d[3], (taps, padded) -> taps));
        return FloatTensor.of(out, d[0], outH, outW, d[3]);
    }
}
