package dev.vquant.quant.models.resnet;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.vision.QuantizableModel;
import dev.vquant.quant.models.vision.TorchvisionInit;
import dev.vquant.quant.nn.AdaptiveAvgPool2d;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.MaxPool2d;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.QuantStub;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * torchvision 0.14's {@code QuantizableResNet} (groups 1, width 64, no dilation, ReLU not in
 * place): {@code conv1} (7x7, stride 2, 3 to 64), {@code bn1}, {@code relu}, {@code maxpool}
 * (3x3, stride 2, padding 1), {@code layer1} to {@code layer4} (Sequentials of
 * {@link BasicBlock}s or {@link Bottleneck}s, 64/128/256/512 planes, stride 2 from layer2 on),
 * {@code avgpool} (AdaptiveAvgPool2d(1)), flatten, {@code fc} (Linear to {@code num_classes}),
 * between {@code quant} and {@code dequant} stubs. Module and state-dict names are torchvision's,
 * so its {@code state_dict()} (as safetensors) loads unchanged. Input float32
 * {@code [N, 3, H, W]} (normalised images, 224x224 for ImageNet; any size works, as torchvision's
 * {@code min_size} of 1x1 says), output logits {@code [N, num_classes]}.
 *
 * <pre>{@code
 * ResNet model = ResNet.resnet18(1000, 42);   // torchvision's initialisation, seeded
 * model.eval();
 * Tensor logits = model.forward(images);
 * }</pre>
 */
public final class ResNet extends Module implements QuantizableModel {
    private final Child conv1;
    private final Child bn1;
    private final Child relu;
    private final Child maxpool;
    private final List<Child> layers = new ArrayList<>();
    private final Child avgpool;
    private final Child fc;
    private final Child quant;
    private final Child dequant;
    private final List<List<String>> fuseGroups = new ArrayList<>();

    private ResNet(boolean bottleneck, int[] blocks, int numClasses, long seed) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("ResNet: num_classes must be > 0, got " + numClasses);
        }
        int expansion = bottleneck ? Bottleneck.EXPANSION : BasicBlock.EXPANSION;
        conv1 = registerModule("conv1", Conv2d.builder(3, 64, 7).stride(2).padding(3).bias(false).seed(0).build());
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        relu = registerModule("relu", new ReLU());
        maxpool = registerModule("maxpool", MaxPool2d.builder(3).stride(2).padding(1).build());
        fuseGroups.add(List.of("conv1", "bn1", "relu"));
        int inplanes = 64;
        int[] planes = {64, 128, 256, 512};
        for (int l = 0; l < 4; l++) {
            int stride = l == 0 ? 1 : 2;
            Module[] layer = new Module[blocks[l]];
            for (int b = 0; b < blocks[l]; b++) {
                int s = b == 0 ? stride : 1;
                Sequential downsample = null;
                if (b == 0 && (stride != 1 || inplanes != planes[l] * expansion)) {
                    downsample = new Sequential(conv1x1(inplanes, planes[l] * expansion, stride), new BatchNorm2d(planes[l] * expansion));
                }
                String prefix = "layer" + (l + 1) + "." + b + ".";
                if (bottleneck) {
                    Bottleneck block = new Bottleneck(inplanes, planes[l], s, downsample);
                    fuseGroups.addAll(block.fuseGroups(prefix));
                    layer[b] = block;
                } else {
                    BasicBlock block = new BasicBlock(inplanes, planes[l], s, downsample);
                    fuseGroups.addAll(block.fuseGroups(prefix));
                    layer[b] = block;
                }
                inplanes = planes[l] * expansion;
            }
            layers.add(registerModule("layer" + (l + 1), new Sequential(layer)));
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        fc = registerModule("fc", new Linear(512 * expansion, numClasses, true, 0));
        quant = registerModule("quant", new QuantStub());
        dequant = registerModule("dequant", new DeQuantStub());
        TorchvisionInit.resnet(this, seed);
    }

    /**
     * torchvision's {@code resnet18(quantize=False)}: BasicBlocks [2, 2, 2, 2], initialised from {@code seed}.
     *
     * @param numClasses the classifier's output features
     * @param seed       seed of the initial weights (same seed, same model)
     * @return a float ResNet-18, input {@code [N, 3, H, W]}, output {@code [N, numClasses]}
     * @throws IllegalArgumentException when numClasses is not positive
     */
    public static ResNet resnet18(int numClasses, long seed) {
        return new ResNet(false, new int[]{2, 2, 2, 2}, numClasses, seed);
    }

    /**
     * {@code resnet18(1000, seed)}: torchvision's default 1000 ImageNet classes.
     *
     * @param seed seed of the initial weights (same seed, same model)
     * @return a float ResNet-18, output {@code [N, 1000]}
     */
    public static ResNet resnet18(long seed) {
        return resnet18(1000, seed);
    }

    /**
     * torchvision's {@code resnet50(quantize=False)}: Bottlenecks [3, 4, 6, 3], initialised from {@code seed}.
     *
     * @param numClasses the classifier's output features
     * @param seed       seed of the initial weights (same seed, same model)
     * @return a float ResNet-50, input {@code [N, 3, H, W]}, output {@code [N, numClasses]}
     * @throws IllegalArgumentException when numClasses is not positive
     */
    public static ResNet resnet50(int numClasses, long seed) {
        return new ResNet(true, new int[]{3, 4, 6, 3}, numClasses, seed);
    }

    /**
     * {@code resnet50(1000, seed)}: torchvision's default 1000 ImageNet classes.
     *
     * @param seed seed of the initial weights (same seed, same model)
     * @return a float ResNet-50, output {@code [N, 1000]}
     */
    public static ResNet resnet50(long seed) {
        return resnet50(1000, seed);
    }

    /** torchvision's {@code conv3x3}: 3x3, padding 1, no bias. */
    static Conv2d conv3x3(int in, int out, int stride) {
        return Conv2d.builder(in, out, 3).stride(stride).padding(1).bias(false).seed(0).build();
    }

    /** torchvision's {@code conv1x1}: 1x1, no bias. */
    static Conv2d conv1x1(int in, int out, int stride) {
        return Conv2d.builder(in, out, 1).stride(stride).bias(false).seed(0).build();
    }

    /**
     * The groups {@link #fuseModel()} fuses, torchvision's order: {@code [conv1, bn1, relu]}, then
     * per block {@code [conv1, bn1, relu]} and {@code [conv2, bn2]} (BasicBlock) or
     * {@code [conv1, bn1, relu1]}, {@code [conv2, bn2, relu2]}, {@code [conv3, bn3]} (Bottleneck),
     * and {@code [downsample.0, downsample.1]} where the block has one.
     *
     * @return the submodule paths of each group (an unmodifiable view)
     */
    public List<List<String>> fuseGroups() {
        return Collections.unmodifiableList(fuseGroups);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = quant.forward(x);
        x = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        for (int i = 0; i < layers.size(); i++) { // indexed: no iterator per call
            Child layer = layers.get(i);
            x = layer.forward(x);
        }
        x = Flatten.apply(avgpool.forward(x), 1);
        return dequant.forward(fc.forward(x));
    }

    /**
     * {@code QuantizableResNet.fuse_model()}: fuses {@link #fuseGroups()} in place, for inference
     * in eval mode (BN folded into the convolutions) or for quantization-aware training in
     * training mode (ConvBnReLU2d / ConvBn2d), as torchvision decides from the model's mode.
     *
     * @return this model
     * @throws IllegalArgumentException when already fused
     */
    @Override
    public ResNet fuseModel() {
        QuantizableModel.fuseByMode(this, fuseGroups);
        return this;
    }
}
