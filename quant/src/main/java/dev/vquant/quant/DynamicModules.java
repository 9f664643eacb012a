package dev.vquant.quant;

import dev.vquant.engine.QTensor;
import dev.vquant.quant.nn.LSTM;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/** The float modules {@link Quantize#quantizeDynamic} can replace, and how. */
final class DynamicModules {
    /** Names of the supported types, for messages. */
    static final List<String> SUPPORTED = List.of("Linear", "LSTM");

    private DynamicModules() {
    }

    static boolean supports(Class<? extends Module> type) {
        return type == Linear.class || type == LSTM.class;
    }

    /** The dynamically quantized counterpart of {@code m} (of a supported type), weights through {@code qconfig}. */
    static Module quantized(String name, Module m, QConfig qconfig) {
        if (m instanceof LSTM l) {
            List<QTensor> wIh = new ArrayList<>();
            List<QTensor> wHh = new ArrayList<>();
            List<float[]> bIh = new ArrayList<>();
            List<float[]> bHh = new ArrayList<>();
            for (int k = 0; k < l.numLayers(); k++) {
                wIh.add(Quantize.quantizeWeight(name + ".weight_ih_l" + k, qconfig, l.weightIh(k)));
                wHh.add(Quantize.quantizeWeight(name + ".weight_hh_l" + k, qconfig, l.weightHh(k)));
                bIh.add(copy(l.biasIh(k)));
                bHh.add(copy(l.biasHh(k)));
            }
            return new dev.vquant.quant.nn.quantized.dynamic.LSTM(wIh, wHh, bIh, bHh, l.batchFirst());
        }
        Linear l = (Linear) m;
        return new dev.vquant.quant.nn.quantized.dynamic.Linear(Quantize.quantizeWeight(name, qconfig, l.weight()), copy(l.bias()));
    }

    private static float[] copy(Parameter p) {
        return p == null ? null : p.data().clone();
    }
}
