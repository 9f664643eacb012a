package dev.vquant.quant;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.nn.Parameter;

import java.util.Arrays;
import java.util.Map;

/**
 * A converted model's saved state ({@code <module>.weight} quantized, {@code .bias},
 * {@code .scale}, {@code .zero_point}, as {@link dev.vquant.quant.io.StateDicts} reads PyTorch's
 * int8 files): the numbers of each quantized module, checked against the float module's shapes.
 */
final class SavedValues implements QuantizedValues {
    private final Map<String, Tensor> state;

    SavedValues(Map<String, Tensor> state) {
        this.state = state;
    }

    /** True when the state has output qparams for {@code module}. */
    boolean has(String module) {
        return state.containsKey(module + ".scale") && state.containsKey(module + ".zero_point");
    }

    @Override
    public QParams.PerTensor output(String module) {
        float scale = scalar(module + ".scale");
        float zp = scalar(module + ".zero_point");
        return QParams.perTensor(scale, (int) zp, DType.QUINT8);
    }

    private float scalar(String key) {
        Tensor t = state.get(key);
        if (t == null || t.isQuantized() || t.numel() != 1) {
            throw new IllegalArgumentException("the saved state has no one-value float entry '" + key + "'");
        }
        return t.toFloatArray()[0];
    }

    @Override
    public QTensor weight(String module, Parameter floatWeight) {
        Tensor t = state.get(module + ".weight");
        if (t == null || !t.isQuantized()) {
            throw new IllegalArgumentException("the saved state has no quantized weight '" + module + ".weight'");
        }
        if (!Arrays.equals(t.shape(), floatWeight.shape())) {
            throw new IllegalArgumentException("'" + module + ".weight' has shape " + Arrays.toString(t.shape())
                    + " in the saved state, " + Arrays.toString(floatWeight.shape()) + " in the model");
        }
        return t.toQuantizedContiguous();
    }

    @Override
    public float[] bias(String module, Parameter floatBias) {
        Tensor t = state.get(module + ".bias");
        if (t == null) {
            return null;
        }
        if (t.isQuantized() || (floatBias != null && t.numel() != floatBias.numel())) {
            throw new IllegalArgumentException("'" + module + ".bias' in the saved state does not fit the model's bias");
        }
        return t.toFloatArray().clone();
    }

    /** The saved float entry when there is one (it must have {@code length} values), else the float module's. */
    @Override
    public float[] floats(String module, String param, float[] own, int length) {
        Tensor t = state.get(module + "." + param);
        if (t == null) {
            return own.clone();
        }
        if (t.isQuantized() || t.numel() != length) {
            throw new IllegalArgumentException("'" + module + "." + param + "' in the saved state: expected " + length
                    + " float values, got " + t);
        }
        return t.toFloatArray().clone();
    }
}
