package dev.vquant.ops.pool;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized AdaptiveAvgPool2d on NHWC quint8 (PyTorch's {@code adaptive_avg_pool2d} on a quantized
 * tensor): output cell {@code (oy, ox)} averages input rows
 * {@code [floor(oy*H/outH), ceil((oy+1)*H/outH))} (same for columns); {@code acc = sum(q) - zp*size},
 * {@code m = f32(f32(sIn / sOut) / size)} and, as PyTorch passes {@code 1/m} as a scale to its
 * quantizer, {@code y = clamp(zOut + rint(f32(acc) * f32(1 / f32(1 / m))), 0, 255)}. The output keeps
 * the input's qparams. Immutable and thread-safe.
 */
public final class QAdaptiveAvgPool2d implements QuantizedOperator {
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
    public QAdaptiveAvgPool2d(int outH, int outW, int threads) {
        PoolShape.checkAdaptiveSize("AdaptiveAvgPool2d", outH, outW);
        this.outH = outH;
        this.outW = outW;
        this.threads = TensorChecks.threads("AdaptiveAvgPool2d", threads);
    }

    @Override
    public String name() {
        return "AdaptiveAvgPool2d";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not a per-tensor quint8 NHWC tensor with non-zero H, W and C, or an output over
     *                                  {@code 2^31-1} elements
     */
    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
        TensorChecks.engine(name(), engine);
        int[] d = PoolShape.checkAdaptive(name(), x.shape(), outH, outW);
        float ratio = (float) q.scale() / (float) q.scale();
        byte[] out = new byte[d[0] * outH * outW * d[3]];
        // PyTorch hands 1/m to its quantizer as a scale, which takes the reciprocal again
        PoolLoop.adaptive(d, outH, outW, Threads.resolve(threads), () -> new QuantizedWindowAverage(x.bytes(), out, d[2], d[3],
                q.zeroPoint(), (taps, padded) -> 1.0f / (1.0f / (ratio / taps))));
        return QTensor.of(out, new int[]{d[0], outH, outW, d[3]}, q);
    }
}
