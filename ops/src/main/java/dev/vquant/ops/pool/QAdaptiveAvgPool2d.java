package dev.vquant.ops.pool;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.EngineNumerics.Family;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized AdaptiveAvgPool2d on NHWC quint8 (PyTorch's {@code adaptive_avg_pool2d} on a quantized
 * tensor): output cell {@code (oy, ox)} averages input rows
 * {@code [floor(oy*H/outH), ceil((oy+1)*H/outH))} (same for columns); {@code acc = sum(q) - zp*size},
 * {@code m = f32(f32(sIn / sOut) / size)}. The output keeps the input's qparams.
 * <ul>
 * <li>fbgemm and reference: ATen's NHWC kernel hands {@code 1/m} to its quantizer as a scale,
 * which takes the reciprocal again: {@code y = clamp(zOut + rint(f32(acc) * f32(1 / f32(1 / m))), 0, 255)};</li>
 * <li>qnnpack: when H and W are multiples of the output size (and the output is smaller),
 * PyTorch's qnnpack engine runs QNNPACK's average pooling with kernel = stride = input / output:
 * {@code y = clamp(zOut + rint(f32(acc) * m), 0, 255)}; otherwise ATen's kernel as above.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class QAdaptiveAvgPool2d implements QuantizedOperator {
    private final int outH;
    private final int outW;
    private final int threads;

    private QAdaptiveAvgPool2d(int outH, int outW, int threads) {
        this.outH = outH;
        this.outW = outW;
        this.threads = threads;
    }

    /**
     * Starts an adaptive average pooling to {@code outputSize x outputSize} (PyTorch's
     * {@code nn.quantized.AdaptiveAvgPool2d(output_size)}; 1 is global average pooling).
     * <pre>QAdaptiveAvgPool2d gap = QAdaptiveAvgPool2d.builder(1).build();</pre>
     *
     * @param outputSize output height and width ({@code > 0}, checked by {@code build()})
     * @return the builder
     */
    public static AdaptiveBuilder<QAdaptiveAvgPool2d> builder(int outputSize) {
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
    public static AdaptiveBuilder<QAdaptiveAvgPool2d> builder(int outH, int outW) {
        return new AdaptiveBuilder<>("AdaptiveAvgPool2d", outH, outW, QAdaptiveAvgPool2d::new);
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
        int[] d = PoolShape.checkAdaptive(name(), PoolShape.dims(x), outH, outW);
        float ratio = (float) q.scale() / (float) q.scale();
        byte[] out = OutputArena.bytes(d[0] * outH * outW * d[3]);
        boolean qnnpack = engine.numerics().family() == Family.QNNPACK && d[1] % outH == 0 && d[2] % outW == 0
                && !(d[1] == outH && d[2] == outW);
        // ATen: every channel through 1/(1/m) (vectorChannels 0); QNNPACK: m on every channel
        int vectorChannels = qnnpack ? d[3] : 0;
        int t = Threads.resolve(threads);
        if (PoolLoop.adaptiveInline(d, outH, t)) {
            // one range in the caller: the previous scope's window body when it is this call's, no lambdas
            QuantizedWindowAverage kept = OutputArena.recall(QuantizedWindowAverage.class);
            QuantizedWindowAverage body = kept != null && kept.sameAs(x.bytes(), out, d[2], d[3], q.zeroPoint(), vectorChannels)
                    && kept.multiplier() instanceof Ratio r && r.ratio() == ratio
                    ? kept : new QuantizedWindowAverage(x.bytes(), out, d[2], d[3], q.zeroPoint(), new Ratio(ratio), vectorChannels);
            PoolLoop.adaptiveRows(d, outH, outW, OutputArena.keep(body), 0, d[0] * outH);
        } else {
            PoolLoop.adaptive(d, outH, outW, t, () -> new QuantizedWindowAverage(x.bytes(), out, d[2], d[3],
                    q.zeroPoint(), new Ratio(ratio), vectorChannels));
        }
        return OutputTensors.quantized(out, q, d[0], outH, outW, d[3]);
    }

    /** The window multiplier {@code ratio / taps}. */
    private record Ratio(float ratio) implements QuantizedWindowAverage.Multiplier {
        @Override
        public float of(int taps, int padded) {
            return ratio / taps;
        }
    }
}
