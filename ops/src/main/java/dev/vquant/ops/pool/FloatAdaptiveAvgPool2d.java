package dev.vquant.ops.pool;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.FloatOperator;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/** float32 twin of {@link QAdaptiveAvgPool2d} (same windows), NHWC. Immutable and thread-safe. */
public final class FloatAdaptiveAvgPool2d implements FloatOperator {
    private final int outH;
    private final int outW;
    private final int threads;

    private FloatAdaptiveAvgPool2d(int outH, int outW, int threads) {
        this.outH = outH;
        this.outW = outW;
        this.threads = threads;
    }

    /**
     * Starts an adaptive average pooling to {@code outputSize x outputSize} (PyTorch's
     * {@code nn.AdaptiveAvgPool2d(output_size)}; 1 is global average pooling).
     * <pre>FloatAdaptiveAvgPool2d gap = FloatAdaptiveAvgPool2d.builder(1).build();</pre>
     *
     * @param outputSize output height and width ({@code > 0}, checked by {@code build()})
     * @return the builder
     */
    public static AdaptiveBuilder<FloatAdaptiveAvgPool2d> builder(int outputSize) {
        return builder(outputSize, outputSize);
    }

    /**
     * Starts an adaptive average pooling to {@code outH x outW} (PyTorch's
     * {@code output_size=(H, W)}).
     *
     * @param outH output height ({@code > 0}, checked by {@code build()})
     * @param outW output width ({@code > 0}, checked by {@code build()})
     * @return the builder
     */
    public static AdaptiveBuilder<FloatAdaptiveAvgPool2d> builder(int outH, int outW) {
        return new AdaptiveBuilder<>("FloatAdaptiveAvgPool2d", outH, outW, FloatAdaptiveAvgPool2d::new);
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
        float[] out = OutputArena.floats(d[0] * outH * outW * d[3]);
        PoolLoop.adaptive(d, outH, outW, Threads.resolve(threads),
                () -> new FloatWindow(x.data(), out, d[2], d[3], (taps, padded) -> taps));
        return OutputTensors.floats(out, d[0], outH, outW, d[3]);
    }
}
