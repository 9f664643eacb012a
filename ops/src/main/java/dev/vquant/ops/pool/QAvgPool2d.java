package dev.vquant.ops.pool;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.EngineNumerics.Family;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.OutputArena;
import dev.vquant.ops.core.OutputTensors;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.ops.core.TensorChecks;
import dev.vquant.ops.core.Threads;

/**
 * Quantized AvgPool2d on NHWC quint8 with PyTorch's integer rounding: per window,
 * {@code acc = sum(q) - zp * taps} over the in-image taps (exact int32), {@code divisor} = the
 * window extent including padding (count_include_pad, the default) or the in-image tap count, or
 * a fixed divisor override, {@code m = f32(f32(sIn / sOut) / divisor)}, and
 * {@code y = clamp(zOut + rint(f32(acc) * m), 0, 255)}. The output keeps the input's qparams (as
 * {@code nn.quantized.AvgPool2d}). No dilation (as PyTorch).
 * <ul>
 * <li>fbgemm and reference: ATen's NHWC kernel, whose scalar channel tail (the last
 * {@code C mod 16} channels, after its AVX-512 loops) multiplies by {@code f32(1 / f32(1 / m))}
 * instead of {@code m}, which may differ by one at a rounding tie;</li>
 * <li>qnnpack: QNNPACK's average pooling ({@code m} on every channel) when PyTorch's qnnpack
 * engine runs it (count_include_pad, no divisor override, no ceil_mode). PyTorch's qnnpack
 * ignores count_include_pad=False and divisor overrides (it always divides by the full window),
 * which is wrong; there vquant's qnnpack engine computes ATen's answer instead, as it does for
 * ceil_mode, where PyTorch's qnnpack engine falls back to ATen itself.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class QAvgPool2d implements QuantizedOperator {
    private final ConvGeometry g;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final int divisorOverride;
    private final int threads;

    private QAvgPool2d(ConvGeometry geometry, boolean ceilMode, boolean countIncludePad, int divisorOverride, int threads) {
        this.ceilMode = ceilMode;
        this.g = TensorChecks.notNull("AvgPool2d", "geometry", geometry);
        if (g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("AvgPool2d: dilation is not supported (PyTorch has none), got "
                    + g.dilationH() + "x" + g.dilationW());
        }
        if (divisorOverride < 0) {
            throw new IllegalArgumentException("AvgPool2d: divisor override must be >= 0, got " + divisorOverride);
        }
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
        this.threads = TensorChecks.threads("AvgPool2d", threads);
    }

    /**
     * Starts an average pooling over {@code kernelSize x kernelSize} windows (PyTorch's
     * {@code nn.quantized.AvgPool2d(kernel_size)}; stride defaults to the kernel size).
     * <pre>QAvgPool2d pool = QAvgPool2d.builder(3).stride(1).padding(1).countIncludePad(false).build();</pre>
     *
     * @param kernelSize the window size
     * @return the builder
     */
    public static Builder builder(int kernelSize) {
        return new Builder(kernelSize, kernelSize);
    }

    /**
     * Starts an average pooling over {@code kernelH x kernelW} windows.
     *
     * @param kernelH window height
     * @param kernelW window width
     * @return the builder
     */
    public static Builder builder(int kernelH, int kernelW) {
        return new Builder(kernelH, kernelW);
    }

    /**
     * Starts a pooling over the window of {@code geometry} (the kernel SPI's type, for callers
     * that already hold one; the builder's window setters then have no effect).
     *
     * @param geometry kernel, stride, padding and dilation
     * @return the builder
     */
    public static Builder builder(ConvGeometry geometry) {
        return new Builder(geometry == null ? 0 : geometry.kernelH(), geometry == null ? 0 : geometry.kernelW())
                .geometry(geometry);
    }

    /**
     * Options of a {@link QAvgPool2d}: the window's, {@code count_include_pad} and
     * {@code divisor_override} ({@link AverageWindowBuilder}).
     */
    public static final class Builder extends AverageWindowBuilder<Builder> {
        private Builder(int kernelH, int kernelW) {
            super("AvgPool2d", kernelH, kernelW);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * The pooling.
         *
         * @return the operator
         * @throws IllegalArgumentException naming the operator for a kernel or stride {@code <= 0},
         *                                  a negative padding, a dilation other than 1 or a negative
         *                                  divisor override
         */
        public QAvgPool2d build() {
            return new QAvgPool2d(window(), ceil(), includePad(), divisor(), threadCount());
        }
    }

    @Override
    public String name() {
        return "AvgPool2d";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the operator for a null input or engine, an input
     *                                  that is not a per-tensor quint8 NHWC tensor that the window fits, or an output over
     *                                  {@code 2^31-1} elements
     */
    @Override
    public QTensor forward(QTensor x, KernelBackend engine) {
        QParams.PerTensor q = TensorChecks.quint8PerTensor(name(), x);
        TensorChecks.engine(name(), engine);
        int[] d = PoolShape.check(name(), x.shape(), g, ceilMode);
        int zp = q.zeroPoint();
        // PyTorch: f32(f32(sIn / sOut) / divisor); the output keeps the input's qparams, so sIn / sOut = 1
        float ratio = (float) q.scale() / (float) q.scale();
        byte[] out = OutputArena.bytes(d[0] * d[4] * d[5] * d[3]);
        int c = d[3];
        boolean qnnpack = engine.numerics().family() == Family.QNNPACK && !ceilMode && countIncludePad && divisorOverride == 0;
        // ATen's AVX-512 channel loops cover whole groups of 16 channels; QNNPACK has no scalar tail
        int vectorChannels = qnnpack ? c : c / 16 * 16;
        PoolLoop.fixed(d, g, Threads.resolve(threads), () -> new QuantizedWindowAverage(x.bytes(), out, d[2], c, zp,
                (taps, padded) -> ratio / (divisorOverride > 0 ? divisorOverride : countIncludePad ? padded : taps),
                vectorChannels));
        return OutputTensors.quantized(out, q, d[0], d[4], d[5], d[3]);
    }
}
