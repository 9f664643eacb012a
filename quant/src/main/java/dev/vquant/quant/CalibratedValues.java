package dev.vquant.quant;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.qat.FakeQuantize;

/**
 * PyTorch's {@code convert}: output qparams from the module's calibrated observer, weights
 * quantized by a fresh weight observer of its qconfig, the float bias as it is.
 */
final class CalibratedValues implements QuantizedValues {
    private final QConfig qconfig;
    private final Module observer;

    /** @param observer the module's ObserverModule or activation FakeQuantize */
    CalibratedValues(QConfig qconfig, Module observer) {
        this.qconfig = qconfig;
        this.observer = observer;
    }

    @Override
    public QParams.PerTensor output(String module) {
        boolean seen = observer instanceof FakeQuantize f ? f.hasObserved() : ((ObserverModule) observer).batches() > 0;
        if (!seen) {
            throw new IllegalStateException("convert: the observer of '" + module + "' has seen no data; run calibration "
                    + "batches through the prepared model (prepared.forward(batch)) before convert");
        }
        QParams q = observer instanceof FakeQuantize f ? f.calculateQParams() : ((ObserverModule) observer).calculateQParams();
        if (!(q instanceof QParams.PerTensor pt)) {
            throw new IllegalArgumentException("convert: the activation observer of '" + module + "' gives per-channel qparams;"
                    + " quantized activations are per tensor");
        }
        return pt;
    }

    @Override
    public QTensor weight(String module, Parameter floatWeight) {
        return Quantize.quantizeWeight(module, qconfig, floatWeight);
    }

    @Override
    public float[] bias(String module, Parameter floatBias) {
        return floatBias == null ? null : floatBias.data().clone();
    }
}
