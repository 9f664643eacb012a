package dev.vquant.quant.nn.quantized;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.LoadResult;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The state-dict entries quantized modules share, in PyTorch's names: a quantized {@code weight}
 * (its qparams inside), a float {@code bias}, and the output {@code scale} / {@code zero_point}
 * as one-element float tensors. Written once here so every quantized module saves and loads alike
 * (the dynamic modules' package too).
 */
public final class QuantizedState {
    private QuantizedState() {
    }

    /** The output qparams as PyTorch saves them: {@code scale} and {@code zero_point}. */
    static void putOutput(String prefix, Map<String, Tensor> out, double scale, int zeroPoint) {
        out.put(prefix + "scale", Tensor.of(new float[]{(float) scale}, 1));
        out.put(prefix + "zero_point", Tensor.of(new float[]{zeroPoint}, 1));
    }

    /** Weight (quantized) and bias (float, when present). */
    static void putWeights(String prefix, Map<String, Tensor> out, QTensor weight, float[] bias) {
        out.put(prefix + "weight", Tensor.ofQuantized(weight));
        if (bias != null) {
            out.put(prefix + "bias", Tensor.of(bias.clone(), bias.length));
        }
    }

    /**
     * A quantized weight entry with the expected logical shape, or null after recording why not.
     */
    static QTensor weight(String prefix, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems,
                          int[] expectedShape) {
        return weight(prefix, "weight", state, used, problems, expectedShape);
    }

    /**
     * The quantized entry {@code prefix + name} with the expected logical shape, or null after
     * recording why not (missing, float, or another shape).
     *
     * @param prefix        the module's key prefix, e.g. {@code "conv1."}
     * @param name          the entry's name within the module, e.g. {@code "weight"}
     * @param state         the state dict being loaded
     * @param used          collects the keys read
     * @param problems      collects what is missing or mismatched
     * @param expectedShape the logical shape the module needs
     * @return the weight in logical row-major order, or null
     */
    public static QTensor weight(String prefix, String name, Map<String, Tensor> state, List<String> used,
                                 LoadResult.Builder problems, int[] expectedShape) {
        String key = prefix + name;
        Tensor t = state.get(key);
        if (t == null) {
            problems.missing(key);
            return null;
        }
        used.add(key);
        if (!t.isQuantized()) {
            problems.mismatch(key + ": expected a quantized qint8 weight, got a float tensor");
            return null;
        }
        if (!Arrays.equals(t.shape(), expectedShape)) {
            problems.mismatch(key + ": shape " + Arrays.toString(t.shape()) + " in the state dict, "
                    + Arrays.toString(expectedShape) + " in the model");
            return null;
        }
        return t.toQuantizedContiguous();
    }

    /**
     * A float entry of {@code length} values, or null after recording why not.
     *
     * @param key      the entry's full key
     * @param state    the state dict being loaded
     * @param used     collects the keys read
     * @param problems collects what is missing or mismatched
     * @param length   the number of values the module needs
     * @return a copy of the values, or null
     */
    public static float[] floats(String key, Map<String, Tensor> state, List<String> used, LoadResult.Builder problems, int length) {
        Tensor t = state.get(key);
        if (t == null) {
            problems.missing(key);
            return null;
        }
        used.add(key);
        if (t.isQuantized() || t.numel() != length) {
            problems.mismatch(key + ": expected " + length + " float values, got " + t);
            return null;
        }
        return t.toFloatArray().clone();
    }

    /** The per-tensor quint8 output qparams, validated as the operators will. */
    static QParams.PerTensor output(double scale, int zeroPoint) {
        return QParams.perTensor(scale, zeroPoint, DType.QUINT8);
    }
}
