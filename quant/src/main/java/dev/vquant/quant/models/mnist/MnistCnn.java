package dev.vquant.quant.models.mnist;

import dev.vquant.quant.Fuser;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.AdaptiveAvgPool2d;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.FloatFunctional;
import dev.vquant.quant.nn.Functional;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.QuantStub;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;

import java.util.List;

/**
 * The quantizable MNIST CNN of vquant's PyTorch-trained models ({@code QuantCNN} in
 * {@code models.py}), with the same module names so its state dicts load unchanged:
 * {@code quant}, {@code stem1} = [Conv2d(1, c1, 3, padding 1), BatchNorm2d, ReLU], {@code stem2}
 * (c1 to c2, stride 2), {@code res} = [{@code conv1} (conv, bn, relu), {@code conv2} (conv, bn),
 * {@code skip_add}: {@code relu(conv2(conv1(x)) + x)}], {@code dw} (depthwise 3x3, stride 2),
 * {@code pw} (1x1, c2 to c3), {@code pool} = AdaptiveAvgPool2d(1), flatten, {@code fc} =
 * Linear(c3, 10), {@code dequant}. Convolutions have no bias. Widths: {@code cnn} 16, 32, 64;
 * {@code cnn_tiny} 4, 8, 16; {@code cnn_micro} 2, 4, 8. Input float32 {@code [N, 1, 28, 28]}
 * ({@code pixel / 255}), output logits {@code [N, 10]}.
 */
public final class MnistCnn extends Module {
    /** The fuse groups of {@code QuantCNN.FUSE_GROUPS}. */
    public static final List<List<String>> FUSE_GROUPS = List.of(
            List.of("stem1.0", "stem1.1", "stem1.2"), List.of("stem2.0", "stem2.1", "stem2.2"),
            List.of("res.conv1.0", "res.conv1.1", "res.conv1.2"), List.of("res.conv2.0", "res.conv2.1"),
            List.of("dw.0", "dw.1", "dw.2"), List.of("pw.0", "pw.1", "pw.2"));

    private final Child quant = registerModule("quant", new QuantStub());
    private final Child stem1;
    private final Child stem2;
    private final Child res;
    private final Child dw;
    private final Child pw;
    private final Child pool = registerModule("pool", new AdaptiveAvgPool2d(1));
    private final Child fc;
    private final Child dequant;

    /**
     * The CNN of ../shared/mnist/models.py with the given widths, input {@code [N, 1, 28, 28]}, output
     * {@code [N, 10]} logits.
     *
     * @param c1 stem1's channels
     * @param c2 stem2's, the residual block's and the depthwise layer's channels
     * @param c3 the pointwise layer's channels (fc's inputs)
     */
    public MnistCnn(int c1, int c2, int c3) {
        stem1 = registerModule("stem1", convBnRelu(1, c1, 3, 1, 1, true));
        stem2 = registerModule("stem2", convBnRelu(c1, c2, 3, 2, 1, true));
        res = registerModule("res", new ResBlock(c2));
        dw = registerModule("dw", convBnRelu(c2, c2, 3, 2, c2, true));
        pw = registerModule("pw", convBnRelu(c2, c3, 1, 1, 1, true));
        fc = registerModule("fc", new Linear(c3, 10, true, 0));
        dequant = registerModule("dequant", new DeQuantStub());
    }

    /** {@code models.py}'s ConvBNReLU: Conv2d(bias=False, padding (k-1)/2), BatchNorm2d, [ReLU], named 0, 1, 2. */
    static Sequential convBnRelu(int cin, int cout, int k, int stride, int groups, boolean relu) {
        Conv2d conv = Conv2d.builder(cin, cout, k).stride(stride).padding((k - 1) / 2).groups(groups).bias(false).build();
        return relu ? new Sequential(conv, new BatchNorm2d(cout), new ReLU()) : new Sequential(conv, new BatchNorm2d(cout));
    }

    /** {@code y = relu(conv2(conv1(x)) + x)}, the add through {@code skip_add} (a FloatFunctional). */
    public static final class ResBlock extends Module {
        private final Child conv1;
        private final Child conv2;
        private final Child skipAdd = registerModule("skip_add", new FloatFunctional());

        ResBlock(int c) {
            conv1 = registerModule("conv1", convBnRelu(c, c, 3, 1, 1, true));
            conv2 = registerModule("conv2", convBnRelu(c, c, 3, 1, 1, false));
        }

        @Override
        public Tensor forward(Tensor x) {
            return ((Functional) skipAdd.get()).addRelu(conv2.forward(conv1.forward(x)), x);
        }
    }

    /** {@return the {@code cnn} model: widths 16, 32, 64} */
    public static MnistCnn cnn() {
        return new MnistCnn(16, 32, 64);
    }

    /** {@return the {@code cnn_tiny} model: widths 4, 8, 16} */
    public static MnistCnn cnnTiny() {
        return new MnistCnn(4, 8, 16);
    }

    /** {@return the {@code cnn_micro} model: widths 2, 4, 8} */
    public static MnistCnn cnnMicro() {
        return new MnistCnn(2, 4, 8);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = quant.forward(x);
        x = pw.forward(dw.forward(res.forward(stem2.forward(stem1.forward(x)))));
        x = Flatten.apply(pool.forward(x), 1);
        return dequant.forward(fc.forward(x));
    }

    /**
     * {@code fuse_model()}: fuses {@link #FUSE_GROUPS} in place, for inference in eval mode
     * ({@link Fuser#fuseModules}: BN folded into the convolutions) or for quantization-aware
     * training in training mode ({@link Fuser#fuseModulesQat}: ConvBnReLU2d / ConvBn2d).
     *
     * @return this model
     */
    public MnistCnn fuseModel() {
        if (isTraining()) {
            Fuser.fuseModulesQat(this, FUSE_GROUPS, true);
        } else {
            Fuser.fuseModules(this, FUSE_GROUPS, true);
        }
        return this;
    }
}
