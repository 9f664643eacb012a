package dev.vquant.quant.models.resnet;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.FloatFunctional;
import dev.vquant.quant.nn.Functional;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code QuantizableBasicBlock} (expansion 1): {@code conv1} (3x3, stride),
 * {@code bn1}, {@code relu}, {@code conv2} (3x3), {@code bn2}, optional {@code downsample} =
 * [1x1 conv with the stride, BatchNorm2d], and {@code add_relu} (a FloatFunctional):
 * {@code add_relu(bn2(conv2(relu(bn1(conv1(x))))), downsample(x) or x)}.
 */
public final class BasicBlock extends Module {
    /** The ratio of output channels to {@code planes}. */
    public static final int EXPANSION = 1;

    private final Child conv1;
    private final Child bn1;
    private final Child relu;
    private final Child conv2;
    private final Child bn2;
    private final Child downsample;
    private final Child addRelu;

    /**
     * @param downsample the identity path's [conv, bn] when the shape changes, or null
     */
    BasicBlock(int inplanes, int planes, int stride, Sequential downsample) {
        conv1 = registerModule("conv1", ResNet.conv3x3(inplanes, planes, stride));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        relu = registerModule("relu", new ReLU());
        conv2 = registerModule("conv2", ResNet.conv3x3(planes, planes, 1));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
        addRelu = registerModule("add_relu", new FloatFunctional());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
        out = bn2.forward(conv2.forward(out));
        Tensor identity = downsample == null ? x : downsample.forward(x);
        return ((Functional) addRelu.get()).addRelu(out, identity);
    }

    /** {@code QuantizableBasicBlock.fuse_model}'s groups, with the block's dotted name {@code prefix}. */
    List<List<String>> fuseGroups(String prefix) {
        List<List<String>> groups = new ArrayList<>();
        groups.add(List.of(prefix + "conv1", prefix + "bn1", prefix + "relu"));
        groups.add(List.of(prefix + "conv2", prefix + "bn2"));
        if (downsample != null) {
            groups.add(List.of(prefix + "downsample.0", prefix + "downsample.1"));
        }
        return groups;
    }
}
