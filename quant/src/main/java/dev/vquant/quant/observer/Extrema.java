package dev.vquant.quant.observer;

import dev.vquant.engine.FloatTensor;

import java.util.Arrays;

/**
 * {@code torch.aminmax} for observers, over a whole tensor or per index along one axis, with the
 * input checks every observer makes: a null tensor, NaN or an infinity is refused with the
 * element's index (PyTorch would record it and later produce unusable qparams).
 */
final class Extrema {
    private Extrema() {
    }

    /** {min, max} of every element of a non-empty {@code x}. */
    static float[] of(FloatTensor x, String observer) {
        float[] d = data(x, observer);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < d.length; i++) {
            float v = d[i];
            if (!Float.isFinite(v)) {
                throw nonFinite(x, i, observer);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new float[] {min, max};
    }

    /**
     * {mins, maxs}: one entry per index along {@code axis} of a non-empty {@code x}, each over the
     * elements with that index (PyTorch: move {@code axis} first, flatten the rest, aminmax per row).
     */
    static float[][] perChannel(FloatTensor x, int axis, String observer) {
        float[] d = data(x, observer);
        int[] shape = x.shape();
        if (axis >= shape.length) {
            throw new IllegalArgumentException(observer + ": ch_axis " + axis + " is out of range for a tensor of shape "
                    + Arrays.toString(shape) + " (rank " + shape.length + ")");
        }
        int channels = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int outer = d.length / (channels * inner);
        float[] mins = new float[channels];
        float[] maxs = new float[channels];
        Arrays.fill(mins, Float.POSITIVE_INFINITY);
        Arrays.fill(maxs, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                float min = mins[c];
                float max = maxs[c];
                for (int k = 0; k < inner; k++, i++) {
                    float v = d[i];
                    if (!Float.isFinite(v)) {
                        throw nonFinite(x, i, observer);
                    }
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                mins[c] = min;
                maxs[c] = max;
            }
        }
        return new float[][] {mins, maxs};
    }

    private static float[] data(FloatTensor x, String observer) {
        if (x == null) {
            throw new IllegalArgumentException(observer + ".forward: input tensor must not be null");
        }
        return x.data();
    }

    private static IllegalArgumentException nonFinite(FloatTensor x, int flat, String observer) {
        int[] shape = x.shape();
        int[] index = new int[shape.length];
        int rest = flat;
        for (int i = shape.length - 1; i >= 0; i--) {
            index[i] = rest % shape[i];
            rest /= shape[i];
        }
        return new IllegalArgumentException(observer + ": element " + Arrays.toString(index) + " of " + x + " is "
                + x.data()[flat] + "; observers need finite values");
    }
}
