package dev.vquant.quant;

import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;

import java.util.List;

/** The float modules {@link Quantize#quantizeDynamic} can replace, and how. */
final class DynamicModules {
    /** Names of the supported types, for messages. */
    static final List<String> SUPPORTED = List.of("Linear");

    private DynamicModules() {
    }

    static boolean supports(Class<? extends Module> type) {
        return type == Linear.class;
    }

    /** The dynamically quantized counterpart of {@code m} (of a supported type). */
    static Module quantized(String name, Module m, QConfig qconfig) {
        Linear l = (Linear) m;
        float[] bias = l.bias() == null ? null : l.bias().data().clone();
        return new dev.vquant.quant.nn.quantized.dynamic.Linear(Quantize.quantizeWeight(name, qconfig, l.weight()), bias);
    }
}
