package dev.vquant.quant.models.mobilenet;

import dev.vquant.engine.QTensor;
import dev.vquant.ops.pool.QAdaptiveAvgPool2d;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.vision.QuantizableModel;
import dev.vquant.quant.models.vision.TorchvisionInit;
import dev.vquant.quant.nn.AdaptiveAvgPool2d;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Dropout;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.QuantStub;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * torchvision 0.14's {@code QuantizableMobileNetV2}: {@code features} = [Conv2dNormActivation
 * (3x3, stride 2, 3 to 32), 17 {@link InvertedResidual}s of torchvision's setting (t, c, n, s) =
 * (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
 * (6, 320, 1, 1), Conv2dNormActivation (1x1 to 1280)], the functional global average pool,
 * flatten, {@code classifier} = [Dropout(0.2), Linear(1280, num_classes)], between {@code quant}
 * and {@code dequant} stubs. Each Conv2dNormActivation is a Sequential [Conv2d (no bias),
 * BatchNorm2d, ReLU] (the quantizable model replaces ReLU6 by ReLU). Channels scale with
 * {@code width_mult}, rounded to multiples of 8 as torchvision's {@code _make_divisible}. Module
 * and state-dict names are torchvision's. Input float32 {@code [N, 3, H, W]}, output logits
 * {@code [N, num_classes]}.
 */
public final class MobileNetV2 extends Module implements QuantizableModel {
    private static final int[][] SETTING = {
            {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    private static final int ROUND_NEAREST = 8;

    private final Child features;
    private final Child classifier;
    private final Child quant;
    private final Child dequant;
    /** The functional {@code adaptive_avg_pool2d(x, (1, 1))}: not a child, as in torchvision; float and int8 forms. */
    private final AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(1);
    private final QAdaptiveAvgPool2d quantizedPool = QAdaptiveAvgPool2d.builder(1).build();
    private final int lastChannel;
    private final List<List<String>> fuseGroups = new ArrayList<>();

    private MobileNetV2(int numClasses, double widthMult, long seed) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("MobileNetV2: num_classes must be > 0, got " + numClasses);
        }
        if (!(widthMult > 0) || Double.isInfinite(widthMult)) {
            throw new IllegalArgumentException("MobileNetV2: width_mult must be a positive finite number, got " + widthMult);
        }
        int inputChannel = makeDivisible(32 * widthMult, ROUND_NEAREST);
        lastChannel = makeDivisible(1280 * Math.max(1.0, widthMult), ROUND_NEAREST);
        List<Module> feats = new ArrayList<>();
        feats.add(convNormActivation(3, inputChannel, 3, 2, 1));
        fuseGroups.add(List.of("features.0.0", "features.0.1", "features.0.2"));
        for (int[] tcns : SETTING) {
            int outputChannel = makeDivisible(tcns[1] * widthMult, ROUND_NEAREST);
            for (int i = 0; i < tcns[2]; i++) {
                InvertedResidual block = new InvertedResidual(inputChannel, outputChannel, i == 0 ? tcns[3] : 1, tcns[0]);
                fuseGroups.addAll(block.fuseGroups("features." + feats.size() + "."));
                feats.add(block);
                inputChannel = outputChannel;
            }
        }
        String last = "features." + feats.size() + ".";
        feats.add(convNormActivation(inputChannel, lastChannel, 1, 1, 1));
        fuseGroups.add(List.of(last + "0", last + "1", last + "2"));
        features = registerModule("features", new Sequential(feats.toArray(Module[]::new)));
        classifier = registerModule("classifier", new Sequential(new Dropout(0.2), new Linear(lastChannel, numClasses, true, 0)));
        quant = registerModule("quant", new QuantStub());
        dequant = registerModule("dequant", new DeQuantStub());
        TorchvisionInit.mobileNetV2(this, seed);
    }

    /**
     * torchvision's {@code mobilenet_v2(quantize=False, num_classes, width_mult)}, initialised from {@code seed}.
     *
     * @param numClasses the classifier's output features
     * @param widthMult  the channel multiplier ({@code width_mult}), 1.0 for the standard model
     * @param seed       seed of the initial weights (same seed, same model)
     * @return a float MobileNetV2, input {@code [N, 3, H, W]}, output {@code [N, numClasses]}
     * @throws IllegalArgumentException when numClasses is not positive or widthMult not a positive finite number
     */
    public static MobileNetV2 mobilenetV2(int numClasses, double widthMult, long seed) {
        return new MobileNetV2(numClasses, widthMult, seed);
    }

    /**
     * {@code mobilenetV2(1000, 1.0, seed)}: torchvision's defaults.
     *
     * @param seed seed of the initial weights (same seed, same model)
     * @return a float MobileNetV2, output {@code [N, 1000]}
     */
    public static MobileNetV2 mobilenetV2(long seed) {
        return mobilenetV2(1000, 1.0, seed);
    }

    /** torchvision's {@code _make_divisible(v, divisor)}: the nearest multiple, never more than 10% below v. */
    static int makeDivisible(double v, int divisor) {
        int newV = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (newV < 0.9 * v) {
            newV += divisor;
        }
        return newV;
    }

    /** torchvision's {@code Conv2dNormActivation} with ReLU: [Conv2d(padding (k-1)/2, no bias), BatchNorm2d, ReLU]. */
    static Sequential convNormActivation(int in, int out, int k, int stride, int groups) {
        return new Sequential(Conv2d.builder(in, out, k).stride(stride).padding((k - 1) / 2).groups(groups).bias(false).seed(0).build(),
                new BatchNorm2d(out), new ReLU());
    }

    /** {@return the width of the last feature layer ({@code last_channel}: 1280, or more for width_mult above 1)} */
    public int lastChannel() {
        return lastChannel;
    }

    /**
     * The groups {@link #fuseModel()} fuses, in torchvision's order of {@code modules()}: every
     * Conv2dNormActivation's {@code [0, 1, 2]} and each block's projection {@code [conv.k, conv.k+1]}.
     *
     * @return the submodule paths of each group (an unmodifiable view)
     */
    public List<List<String>> fuseGroups() {
        return Collections.unmodifiableList(fuseGroups);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = features.forward(quant.forward(x));
        x = x.isQuantized() ? Tensor.fromEngine(quantizedPool.forward(x.engineQuantized("MobileNetV2 pool")))
                : pool.forward(x);
        return dequant.forward(classifier.forward(Flatten.apply(x, 1)));
    }

    /**
     * {@code QuantizableMobileNetV2.fuse_model()}: fuses {@link #fuseGroups()} in place, for
     * inference in eval mode or for quantization-aware training in training mode.
     *
     * @return this model
     * @throws IllegalArgumentException when already fused
     */
    @Override
    public MobileNetV2 fuseModel() {
        QuantizableModel.fuseByMode(this, fuseGroups);
        return this;
    }
}
