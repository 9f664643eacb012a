package dev.vquant.quant.models.vision;

import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Init;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The initialisation torchvision's CNN constructors apply after building their layers, from a
 * seeded generator (the distributions of PyTorch's, not its random stream). Batch norms keep
 * their defaults (weight 1, bias 0, running mean 0, running variance 1), which both constructors
 * set explicitly. Modules are visited in {@code named_modules()} order, each drawing from its own
 * split of the seed's generator, so the same seed always gives the same weights.
 */
public final class TorchvisionInit {

    private TorchvisionInit() {
    }

    /**
     * {@code ResNet.__init__}: every Conv2d weight {@code kaiming_normal_(mode="fan_out",
     * nonlinearity="relu")}; Linear keeps {@code nn.Linear}'s default ({@code U(-1/sqrt(in),
     * 1/sqrt(in))} for weight and bias), redrawn here from the seed.
     *
     * @param model the ResNet whose weights are overwritten in place
     * @param seed  seed of the draws (same seed, same weights)
     */
    public static void resnet(Module model, long seed) {
        apply(model, seed, false);
    }

    /**
     * {@code MobileNetV2.__init__}: every Conv2d weight {@code kaiming_normal_(mode="fan_out")}
     * (gain sqrt(2)), conv biases zero; Linear weight {@code normal_(0, 0.01)}, bias zero.
     *
     * @param model the MobileNetV2 whose weights are overwritten in place
     * @param seed  seed of the draws (same seed, same weights)
     */
    public static void mobileNetV2(Module model, long seed) {
        apply(model, seed, true);
    }

    private static void apply(Module model, long seed, boolean mobileNet) {
        SplittableRandom master = new SplittableRandom(seed);
        for (Module m : model.namedModules().values()) {
            if (m instanceof Conv2d conv) {
                Parameter w = conv.weight();
                int[] s = w.shape();
                int fanOut = s[0] * s[2] * s[3];
                Init.kaimingNormal(w.data(), fanOut, master.split());
                w.markModified();
                if (mobileNet) {
                    zero(conv.bias());
                }
            } else if (m instanceof Linear linear) {
                SplittableRandom r = master.split();
                if (mobileNet) {
                    Init.normal(linear.weight().data(), 0.0, 0.01, r);
                    zero(linear.bias());
                } else {
                    Init.kaimingUniform(linear.weight().data(), linear.inFeatures(), r);
                    if (linear.bias() != null) {
                        Init.kaimingUniform(linear.bias().data(), linear.inFeatures(), r);
                        linear.bias().markModified();
                    }
                }
                linear.weight().markModified();
            }
        }
    }

    private static void zero(Parameter p) {
        if (p != null) {
            Arrays.fill(p.data(), 0f);
            p.markModified();
        }
    }
}
