package dev.vquant.quant;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.qat.FakeQuantize;

/**
 * PyTorch's {@code convert}: output qparams from the module's calibrated observer, weights
 * quantized by a fresh weight observer of its qconfig, the float bias as it is. An observer that
 * saw no data in a model whose other observers did (a module calibration never reached, e.g.
 * MobileNetV2's {@code skip_add} in blocks without a residual) gives PyTorch's default qparams
 * (scale 1, zero point 0) with the observer's warning, as PyTorch's convert does; a model none of
 * whose observers saw data is refused (calibration was forgotten).
 */
final class CalibratedValues implements QuantizedValues {
    private final QConfig qconfig;
    private final Module observer;
    private final boolean modelCalibrated;

    /**
     * @param observer        the module's ObserverModule or activation FakeQuantize
     * @param modelCalibrated whether any observer of the model has seen data
     */
    CalibratedValues(QConfig qconfig, Module observer, boolean modelCalibrated) {
        this.qconfig = qconfig;
        this.observer = observer;
        this.modelCalibrated = modelCalibrated;
    }

    /** Whether {@code observer} (an ObserverModule or activation FakeQuantize) has seen data. */
    static boolean hasSeenData(Module observer) {
        return observer instanceof FakeQuantize f ? f.hasObserved() : ((ObserverModule) observer).batches() > 0;
    }

    @Override
    public QParams.PerTensor output(String module) {
        if (!modelCalibrated && !hasSeenData(observer)) {
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
