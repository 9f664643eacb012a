package dev.vquant.quant.nn;

import dev.vquant.ops.pool.FloatAdaptiveAvgPool2d;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.autograd.PoolGrad;

/**
 * Averages over PyTorch's adaptive windows to a fixed output size, {@code nn.AdaptiveAvgPool2d},
 * on {@link FloatAdaptiveAvgPool2d} (NHWC; the output is channels-last).
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;
    private final FloatAdaptiveAvgPool2d op;

    /**
     * Square output {@code size x size} ({@code AdaptiveAvgPool2d(1)} is global average pooling).
     *
     * @param size the output height and width
     * @throws IllegalArgumentException when {@code size} is not positive
     */
    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    /**
     * Output {@code outH x outW}: input {@code [N, C, H, W]}, output {@code [N, C, outH, outW]}.
     *
     * @param outH the output height
     * @param outW the output width
     * @throws IllegalArgumentException when a size is not positive
     */
    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be > 0, got " + outH + "x" + outW);
        }
        this.outH = outH;
        this.outW = outW;
        this.op = FloatAdaptiveAvgPool2d.builder(outH, outW).build();
    }

    /** {@return the output height} */
    public int outputH() {
        return outH;
    }

    /** {@return the output width} */
    public int outputW() {
        return outW;
    }

    /** @throws IllegalArgumentException when x is not 4-D or quantized */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = Pooling.run(this, op, x);
        GradTape tape = GradTape.recording();
        if (tape != null) {
            PoolGrad.adaptiveAverage(tape, x, y);
        }
        return y;
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + PyRepr.intOrTuple(outH, outW);
    }
}
