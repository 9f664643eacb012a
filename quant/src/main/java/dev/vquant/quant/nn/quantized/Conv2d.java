package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.core.QuantizedOperator;
import dev.vquant.quant.Tensor;

import java.util.Objects;

/**
 * Statically quantized 2-D convolution (PyTorch's {@code torch.ao.nn.quantized.Conv2d}): quint8
 * input {@code [N, Cin, H, W]}, qint8 weight {@code [Cout, Cin/groups, kh, kw]} (per tensor or per
 * output channel), float bias, quint8 output with this module's {@code scale}/{@code zero_point};
 * any stride, padding, dilation and groups (depthwise included), computed by vquant's
 * {@link QConv2d} in channels-last memory. {@link ConvReLU2d} fuses a ReLU.
 *
 * <p>State dict: {@code weight} (quantized, PyTorch's order), {@code bias}, {@code scale},
 * {@code zero_point}. Safe for concurrent forwards; loading a state dict is not.
 */
public class Conv2d extends WeightedQuantizedModule {
    private final boolean relu;
    private final ConvGeometry geometry;
    private final int groups;

    /**
     * A quantized convolution (quint8 {@code [N, Cin, H, W]} in, quint8 {@code [N, Cout, OH, OW]} out).
     *
     * @param weight    qint8 {@code [Cout, Cin/groups, kh, kw]} in PyTorch's order; its kernel size is the conv's
     * @param bias      float, one per output channel, or null
     * @param stride    {@code [sh, sw]}
     * @param padding   {@code [ph, pw]} (zeros)
     * @param dilation  {@code [dh, dw]}
     * @param groups    input channel groups ({@code Cin} for depthwise)
     * @param scale     output scale
     * @param zeroPoint output zero point (quint8)
     * @throws IllegalArgumentException when an argument is not valid for a quantized convolution
     */
    public Conv2d(QTensor weight, float[] bias, int[] stride, int[] padding, int[] dilation, int groups, double scale,
                  int zeroPoint) {
        this(weight, bias, stride, padding, dilation, groups, scale, zeroPoint, false);
    }

    Conv2d(QTensor weight, float[] bias, int[] stride, int[] padding, int[] dilation, int groups, double scale,
           int zeroPoint, boolean relu) {
        Objects.requireNonNull(weight, "weight");
        if (weight.rank() != 4) {
            throw new IllegalArgumentException("quantized Conv2d: weight must be [Cout, Cin/groups, kh, kw], got rank " + weight.rank());
        }
        this.relu = relu;
        this.geometry = new ConvGeometry(weight.dim(2), weight.dim(3), pair(stride, "stride")[0], pair(stride, "stride")[1],
                pair(padding, "padding")[0], pair(padding, "padding")[1], pair(dilation, "dilation")[0],
                pair(dilation, "dilation")[1]);
        this.groups = groups;
        rebuild(weight, bias == null ? null : bias.clone(), scale, zeroPoint);
    }

    private static int[] pair(int[] v, String what) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException("quantized Conv2d: " + what + " must have 2 values (h, w), got "
                    + (v == null ? "null" : v.length));
        }
        return v;
    }

    @Override
    protected QuantizedOperator build(QTensor weight, float[] bias, double scale, int zeroPoint) {
        return QConv2d.builder(weight, geometry).groups(groups).bias(bias).output(scale, zeroPoint).relu(relu).build();
    }

    @Override
    protected String extraRepr() {
        return weight().dim(1) * groups + ", " + weight().dim(0) + ", kernel_size=(" + geometry.kernelH() + ", " + geometry.kernelW()
                + "), stride=(" + geometry.strideH() + ", " + geometry.strideW() + "), scale=" + scale() + ", zero_point=" + zeroPoint()
                + (geometry.padH() != 0 || geometry.padW() != 0 ? ", padding=(" + geometry.padH() + ", " + geometry.padW() + ")" : "")
                + (geometry.dilationH() != 1 || geometry.dilationW() != 1
                ? ", dilation=(" + geometry.dilationH() + ", " + geometry.dilationW() + ")" : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias() == null ? ", bias=False" : "");
    }
}
