package dev.vquant.bench.report;

import dev.vquant.bench.accuracy.MnistBundle;
import dev.vquant.engine.DType;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.mnist.MnistCnn;
import dev.vquant.quant.models.mnist.MnistMlp;
import dev.vquant.quant.models.mnist.MnistRecipes;
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

    /** Every registered model. */
    public static List<ModelEntry> all() {
        List<ModelEntry> m = new ArrayList<>();
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

    /** The registered models {@code --quick} measures. */
    public static List<ModelEntry> quick() {
        return all().stream().filter(ModelEntry::quick).toList();
    }

    /** The entry named {@code name}. */
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
