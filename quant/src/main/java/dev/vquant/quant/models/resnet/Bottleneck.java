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
 * torchvision's {@code QuantizableBottleneck} (expansion 4, the stride on the 3x3 convolution):
 * {@code conv1} (1x1), {@code bn1}, {@code conv2} (3x3, stride), {@code bn2}, {@code conv3} (1x1
 * to {@code 4 * planes}), {@code bn3}, {@code relu} (torchvision's Bottleneck registers it; the
 * quantizable forward does not use it), optional {@code downsample}, {@code skip_add_relu} (a
 * FloatFunctional), {@code relu1}, {@code relu2}: {@code skip_add_relu.add_relu(bn3(conv3(relu2(
 * bn2(conv2(relu1(bn1(conv1(x)))))))), downsample(x) or x)}.
 */
public final class Bottleneck extends Module {
    /** The ratio of output channels to {@code planes}. */
    public static final int EXPANSION = 4;

    private final Child conv1;
    private final Child bn1;
    private final Child conv2;
    private final Child bn2;
    private final Child conv3;
    private final Child bn3;
    private final Child downsample;
    private final Child skipAddRelu;
    private final Child relu1;
    private final Child relu2;

    /**
     * @param downsample the identity path's [conv, bn] when the shape changes, or null
     */
    Bottleneck(int inplanes, int planes, int stride, Sequential downsample) {
        int width = planes; // groups 1, base width 64
        conv1 = registerModule("conv1", ResNet.conv1x1(inplanes, width, 1));
        bn1 = registerModule("bn1", new BatchNorm2d(width));
        conv2 = registerModule("conv2", ResNet.conv3x3(width, width, stride));
        bn2 = registerModule("bn2", new BatchNorm2d(width));
        conv3 = registerModule("conv3", ResNet.conv1x1(width, planes * EXPANSION, 1));
        bn3 = registerModule("bn3", new BatchNorm2d(planes * EXPANSION));
        registerModule("relu", new ReLU());
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
        skipAddRelu = registerModule("skip_add_relu", new FloatFunctional());
        relu1 = registerModule("relu1", new ReLU());
        relu2 = registerModule("relu2", new ReLU());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = relu1.forward(bn1.forward(conv1.forward(x)));
        out = relu2.forward(bn2.forward(conv2.forward(out)));
        out = bn3.forward(conv3.forward(out));
        Tensor identity = downsample == null ? x : downsample.forward(x);
        return ((Functional) skipAddRelu.get()).addRelu(out, identity);
    }

    /** {@code QuantizableBottleneck.fuse_model}'s groups, with the block's dotted name {@code prefix}. */
    List<List<String>> fuseGroups(String prefix) {
        List<List<String>> groups = new ArrayList<>();
        groups.add(List.of(prefix + "conv1", prefix + "bn1", prefix + "relu1"));
        groups.add(List.of(prefix + "conv2", prefix + "bn2", prefix + "relu2"));
        groups.add(List.of(prefix + "conv3", prefix + "bn3"));
        if (downsample != null) {
            groups.add(List.of(prefix + "downsample.0", prefix + "downsample.1"));
        }
        return groups;
    }
}
