package dev.vquant.quant.models.mobilenet;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.FloatFunctional;
import dev.vquant.quant.nn.Functional;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code QuantizableInvertedResidual}: {@code conv} = [expansion
 * Conv2dNormActivation (1x1, only when {@code expand_ratio != 1}), depthwise Conv2dNormActivation
 * (3x3, stride), Conv2d (1x1 projection), BatchNorm2d], each Conv2dNormActivation a Sequential
 * [Conv2d, BatchNorm2d, ReLU] (ReLU6 replaced by ReLU as in the quantizable model), and
 * {@code skip_add} (a FloatFunctional): {@code skip_add.add(x, conv(x))} when the stride is 1 and
 * the channels stay the same, else {@code conv(x)}.
 */
public final class InvertedResidual extends Module {
    private final Child conv;
    private final Child skipAdd;
    private final boolean useResConnect;
    private final List<List<String>> fuseGroups = new ArrayList<>();

    /**
     * @throws IllegalArgumentException when stride is not 1 or 2
     */
    InvertedResidual(int inp, int oup, int stride, int expandRatio) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("InvertedResidual: stride should be 1 or 2, got " + stride);
        }
        int hidden = Math.round((float) inp * expandRatio);
        useResConnect = stride == 1 && inp == oup;
        List<Module> layers = new ArrayList<>();
        if (expandRatio != 1) {
            layers.add(MobileNetV2.convNormActivation(inp, hidden, 1, 1, 1));
        }
        layers.add(MobileNetV2.convNormActivation(hidden, hidden, 3, stride, hidden));
        layers.add(Conv2d.builder(hidden, oup, 1).bias(false).seed(0).build());
        layers.add(new BatchNorm2d(oup));
        for (int i = 0; i < layers.size() - 2; i++) {
            fuseGroups.add(List.of("conv." + i + ".0", "conv." + i + ".1", "conv." + i + ".2"));
        }
        int last = layers.size() - 2;
        fuseGroups.add(List.of("conv." + last, "conv." + (last + 1)));
        conv = registerModule("conv", new Sequential(layers.toArray(Module[]::new)));
        skipAdd = registerModule("skip_add", new FloatFunctional());
    }

    /** {@return whether the block adds its input to its output (stride 1, same channels)} */
    public boolean usesResidual() {
        return useResConnect;
    }

    @Override
    public Tensor forward(Tensor x) {
        return useResConnect ? ((Functional) skipAdd.get()).add(x, conv.forward(x)) : conv.forward(x);
    }

    /** The block's fuse groups (its Conv2dNormActivations, then the projection conv + BN), under {@code prefix}. */
    List<List<String>> fuseGroups(String prefix) {
        return fuseGroups.stream().map(g -> g.stream().map(n -> prefix + n).toList()).toList();
    }
}
