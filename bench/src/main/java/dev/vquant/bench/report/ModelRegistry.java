package dev.vquant.bench.report;

import dev.vquant.bench.accuracy.MnistBundle;
import dev.vquant.engine.DType;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.bert.BertConfig;
import dev.vquant.quant.models.bert.BertEncoderModel;
import dev.vquant.quant.models.mnist.MnistCnn;
import dev.vquant.quant.models.mnist.MnistMlp;
import dev.vquant.quant.models.mnist.MnistRecipes;
import dev.vquant.quant.models.mobilenet.MobileNetV2;
import dev.vquant.quant.models.resnet.ResNet;
import dev.vquant.quant.models.vision.QuantizableModel;
import dev.vquant.quant.models.vision.SyntheticCalibration;
import dev.vquant.quant.models.wordlm.WordLanguageModel;
import dev.vquant.quant.nn.LSTM;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Sequential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The models {@code vquant report} measures, in report order. A model plugs in with one
 * {@link ModelEntry} line in {@link #all()}.
 */
public final class ModelRegistry {
    private ModelRegistry() {
    }

    /** Seed of the models' initial weights (PyTorch's default initialisation, seeded). */
    private static final long SEED = 42;

    /** {@return every registered model} */
    public static List<ModelEntry> all() {
        List<ModelEntry> m = new ArrayList<>();
        m.add(new ModelEntry("resnet18", "torchvision's quantizable ResNet-18 (seeded init, " + VISION, true,
                () -> vision(ResNet.resnet18(SEED)), ModelRegistry::fusedCopy, ModelRegistry::visionPtq, ModelRegistry::image));
        m.add(new ModelEntry("resnet50", "torchvision's quantizable ResNet-50 (seeded init, " + VISION, false,
                () -> vision(ResNet.resnet50(SEED)), ModelRegistry::fusedCopy, ModelRegistry::visionPtq, ModelRegistry::image));
        m.add(new ModelEntry("mobilenet_v2", "torchvision's quantizable MobileNetV2 (seeded init, " + VISION, true,
                () -> vision(MobileNetV2.mobilenetV2(SEED)), ModelRegistry::fusedCopy, ModelRegistry::visionPtq, ModelRegistry::image));
        m.add(new ModelEntry("bert_layer_s128", "one BERT-base encoder layer (hidden 768, 12 heads, FFN 3072, seeded init), "
                + "sequence 128, batch 1, dynamic qint8 Linear", true, () -> bert(1), f -> f, ModelRegistry::dynamicLinear,
                () -> uniform(13, 1, 128, 768)));
        m.add(new ModelEntry("bert_layer_s1", "the same BERT-base layer at sequence 1", true, () -> bert(1), f -> f,
                ModelRegistry::dynamicLinear, () -> uniform(13, 1, 1, 768)));
        m.add(new ModelEntry("bert_base_s128", "the BERT-base encoder, 12 layers, sequence 128, batch 1, dynamic qint8 Linear", false,
                () -> bert(12), f -> f, ModelRegistry::dynamicLinear, () -> uniform(13, 1, 128, 768)));
        m.add(new ModelEntry("word_lm_T25", "the LSTM word language model of PyTorch's dynamic quantization tutorial (ntoken 33278, "
                + "ninp 512, nhid 256, 5 layers, seeded init), 25 tokens, batch 1, dynamic qint8 LSTM and Linear", false,
                () -> WordLanguageModel.tutorial(SEED).eval(), f -> f,
                (f, e) -> Quantize.quantizeDynamic(f, Set.of(LSTM.class, Linear.class), DType.QINT8), () -> tokens(25, 33278)));
        m.add(new ModelEntry("mnist_cnn", "MNIST CNN (bundled PyTorch-trained weights), static PTQ with the engine's qconfig, 1x1x28x28",
                false, () -> mnistCnn(), f -> ((MnistCnn) f.deepCopy()).fuseModel(), ModelRegistry::mnistStaticPtq, () -> mnistImages(1)));
        m.add(new ModelEntry("mnist_mlp", "MNIST MLP (bundled PyTorch-trained weights), dynamic qint8 Linear per channel, 1x784",
                false, ModelRegistry::mnistMlp, f -> f, (f, e) -> Quantize.quantizeDynamic(f, Set.of(Linear.class), DType.QINT8,
                QConfig.perChannelDynamic()), () -> mnistImages(1)));
        m.add(new ModelEntry("lstm_256x512_T32", "one LSTM layer 256->512 (PyTorch's default init, seed 7), 32 steps, batch 1, dynamic qint8",
                true, () -> new Sequential(new LSTM(256, 512, 1, true, false, 7)).eval(), f -> f,
                (f, e) -> Quantize.quantizeDynamic(f, Set.of(LSTM.class), DType.QINT8), () -> uniform(11, 32, 1, 256)));
        return m;
    }

    private static final String VISION = "BN statistics fitted on 4 synthetic images), static PTQ with the engine's qconfig "
            + "calibrated on 2 synthetic images, 1x3x224x224";

    /** {@return the registered models {@code --quick} measures} */
    public static List<ModelEntry> quick() {
        return all().stream().filter(ModelEntry::quick).toList();
    }

    /**
     * The entry named {@code name}.
     *
     * @param name the registry name
     * @return its entry
     * @throws IllegalArgumentException for an unregistered name (the message lists the registered ones)
     */
    public static ModelEntry byName(String name) {
        for (ModelEntry e : all()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; registered: "
                + all().stream().map(ModelEntry::name).toList());
    }

    /**
     * The qconfig PyTorch would pair with a vquant engine: {@code qnnpack} for QNNPACK's
     * arithmetic, {@code fbgemm} (x86) otherwise.
     */
    static String qconfigFor(String engine) {
        return QuantEngine.backend(engine).numerics().family() == EngineNumerics.Family.QNNPACK ? "qnnpack" : "fbgemm";
    }

    /** Seeded uniform floats in [-1, 1) of the given shape. */
    static Tensor uniform(long seed, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(v, shape);
    }

    /** A freshly initialised torchvision model made runnable: BN statistics of synthetic images, eval mode. */
    private static Module vision(Module model) {
        SyntheticCalibration.fitBatchNormStatistics(model, SyntheticCalibration.images(7, 4, 224));
        return model.eval();
    }

    /** torchvision's fuse_model() on a copy in eval mode: batch norms folded into the convolutions. */
    private static Module fusedCopy(Module trained) {
        Module copy = trained.deepCopy();
        copy.eval();
        ((QuantizableModel) copy).fuseModel();
        return copy;
    }

    /** torchvision's post-training flow with the engine's qconfig, calibrated on 2 synthetic images. */
    private static Module visionPtq(Module trained, String engine) {
        return SyntheticCalibration.quantizeStatic((Module & QuantizableModel) trained, QConfig.defaultFor(qconfigFor(engine)),
                SyntheticCalibration.images(5, 2, 224));
    }

    private static Tensor image() {
        return SyntheticCalibration.images(99, 1, 224).get(0);
    }

    private static Module bert(int layers) {
        return new BertEncoderModel(BertConfig.base().withLayers(layers), SEED).eval();
    }

    /** PyTorch's BERT tutorial: every Linear dynamically quantized, qint8 weights per tensor. */
    private static Module dynamicLinear(Module trained, String engine) {
        return Quantize.quantizeDynamic(trained, Set.of(Linear.class), DType.QINT8);
    }

    /** Seeded token ids {@code [steps, 1]} below {@code vocabulary}, as whole-number floats. */
    private static Tensor tokens(int steps, int vocabulary) {
        SplittableRandom r = new SplittableRandom(17);
        float[] ids = new float[steps];
        for (int i = 0; i < steps; i++) {
            ids[i] = r.nextInt(vocabulary);
        }
        return Tensor.of(ids, steps, 1);
    }

    private static Module mnistCnn() {
        MnistCnn cnn = MnistCnn.cnn();
        cnn.loadStateDict(MnistBundle.floatWeights("cnn"));
        cnn.eval();
        return cnn;
    }

    private static Module mnistMlp() {
        MnistMlp mlp = MnistMlp.mlp();
        mlp.loadStateDict(MnistBundle.floatWeights("mlp"));
        mlp.eval();
        return mlp;
    }

    /** MnistRecipes' static PTQ (of a fused copy) calibrated on the bundled calibration digits, with the engine's qconfig. */
    private static Module mnistStaticPtq(Module trained, String engine) {
        try {
            return MnistRecipes.staticPtq((MnistCnn) trained, qconfigFor(engine), MnistBundle.images("calibration"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Tensor mnistImages(int n) {
        try {
            return MnistRecipes.slice(MnistBundle.images("test-public"), 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
