package dev.vquant.quant.models.mnist;

import dev.vquant.quant.Fuser;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.ReLU;

import java.util.List;

/**
 * The MNIST MLP of vquant's PyTorch-trained models ({@code MLP} in {@code models.py}), with its
 * module names: flatten to 784, {@code fc1} = Linear(784, h1), {@code relu1}, {@code fc2} =
 * Linear(h1, h2), {@code relu2}, {@code fc3} = Linear(h2, 10). The trained model has h1 = 256,
 * h2 = 128 ({@link #mlp()}); it is quantized dynamically, so PyTorch's recipe fuses nothing, but
 * {@link #fuseModel()} offers the Linear+ReLU pairs for static quantization.
 */
public final class MnistMlp extends Module {
    /** Linear+ReLU pairs, for static quantization (not part of the dynamic recipe). */
    public static final List<List<String>> FUSE_GROUPS = List.of(List.of("fc1", "relu1"), List.of("fc2", "relu2"));

    private final Child fc1;
    private final Child relu1 = registerModule("relu1", new ReLU());
    private final Child fc2;
    private final Child relu2 = registerModule("relu2", new ReLU());
    private final Child fc3;

    /**
     * An MLP with hidden sizes {@code h1} and {@code h2} (initial weights seeded 1, 2, 3).
     *
     * @param h1 fc1's output features
     * @param h2 fc2's output features
     */
    public MnistMlp(int h1, int h2) {
        fc1 = registerModule("fc1", new Linear(784, h1, true, 1));
        fc2 = registerModule("fc2", new Linear(h1, h2, true, 2));
        fc3 = registerModule("fc3", new Linear(h2, 10, true, 3));
    }

    /** {@return the trained MLP's sizes: 784, 256, 128, 10} */
    public static MnistMlp mlp() {
        return new MnistMlp(256, 128);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = Flatten.apply(x, 1);
        return fc3.forward(relu2.forward(fc2.forward(relu1.forward(fc1.forward(x)))));
    }

    /**
     * Fuses {@link #FUSE_GROUPS} in place into LinearReLU (either mode); returns this model.
     *
     * @return this model
     */
    public MnistMlp fuseModel() {
        Fuser.fuseModules(this, FUSE_GROUPS, true);
        return this;
    }
}
