package dev.vquant.quant;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.nn.Parameter;

/**
 * Where a quantized module's numbers come from when a float module is swapped for it: the
 * calibrated observers and the qconfig's weight observer ({@link CalibratedValues}, PyTorch's
 * {@code convert}), or a converted model's saved state ({@link SavedValues}, loading an int8 file).
 */
interface QuantizedValues {

    /** The module's quint8 output qparams. */
    QParams.PerTensor output(String module);

    /** The module's qint8 weight, given its float weight. */
    QTensor weight(String module, Parameter floatWeight);

    /** The module's float bias (a fresh array) given its float bias, or null when it has none. */
    float[] bias(String module, Parameter floatBias);

    /**
     * A float parameter {@code module.param} of {@code length} values that quantization keeps float
     * (a quantized BatchNorm's statistics): the float module's own (copied) unless a saved state
     * overrides it.
     */
    default float[] floats(String module, String param, float[] own, int length) {
        return own.clone();
    }
}
