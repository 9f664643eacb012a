package dev.vquant.quant.qat;

import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.intrinsic.qat.ConvBn2d;

import java.util.Objects;

/**
 * The switches PyTorch applies to a whole QAT model with {@code model.apply(...)}:
 * {@code torch.ao.quantization.enable/disable_observer}, {@code enable/disable_fake_quant}
 * (every {@link FakeQuantize}) and {@code torch.nn.intrinsic.qat.freeze_bn_stats} /
 * {@code update_bn_stats} (every {@link ConvBn2d} and ConvBnReLU2d). Each returns the model.
 */
public final class QatControls {
    private QatControls() {
    }

    /**
     * {@code model.apply(disable_observer)}: every fake-quant keeps its qparams.
     *
     * @param model the QAT-prepared model, changed in place
     * @return {@code model}
     */
    public static Module disableObserver(Module model) {
        return forEachFakeQuant(model, FakeQuantize::disableObserver);
    }

    /**
     * {@code model.apply(enable_observer)}.
     *
     * @param model the QAT-prepared model, changed in place
     * @return {@code model}
     */
    public static Module enableObserver(Module model) {
        return forEachFakeQuant(model, f -> f.enableObserver(true));
    }

    /**
     * {@code model.apply(disable_fake_quant)}: values pass through unquantized.
     *
     * @param model the QAT-prepared model, changed in place
     * @return {@code model}
     */
    public static Module disableFakeQuant(Module model) {
        return forEachFakeQuant(model, FakeQuantize::disableFakeQuant);
    }

    /**
     * {@code model.apply(enable_fake_quant)}.
     *
     * @param model the QAT-prepared model, changed in place
     * @return {@code model}
     */
    public static Module enableFakeQuant(Module model) {
        return forEachFakeQuant(model, f -> f.enableFakeQuant(true));
    }

    /**
     * {@code model.apply(freeze_bn_stats)}: every BN-fused QAT convolution uses and keeps its running statistics.
     *
     * @param model the QAT-prepared model, changed in place
     * @return {@code model}
     */
    public static Module freezeBnStats(Module model) {
        Objects.requireNonNull(model, "model");
        model.namedModules().values().forEach(m -> {
            if (m instanceof ConvBn2d c) {
                c.freezeBnStats();
            }
        });
        return model;
    }

    /**
     * {@code model.apply(update_bn_stats)}: the BNs follow the training mode again.
     *
     * @param model the QAT-prepared model, changed in place
     * @return {@code model}
     */
    public static Module updateBnStats(Module model) {
        Objects.requireNonNull(model, "model");
        model.namedModules().values().forEach(m -> {
            if (m instanceof ConvBn2d c) {
                c.updateBnStats();
            }
        });
        return model;
    }

    private static Module forEachFakeQuant(Module model, java.util.function.Consumer<FakeQuantize> action) {
        Objects.requireNonNull(model, "model");
        model.namedModules().values().forEach(m -> {
            if (m instanceof FakeQuantize f) {
                action.accept(f);
            }
        });
        return model;
    }
}
