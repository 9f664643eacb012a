package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.qat.FakeQuantization;

/**
 * The straight-through estimator with clipping of fake quantization, PyTorch's
 * {@code fake_quantize_per_tensor_affine} / {@code _per_channel_affine} backward: the gradient
 * passes where {@code quant_min <= zp + rint(x / scale) <= quant_max} and is zero elsewhere
 * ({@link FakeQuantization#perTensorGradient}, bit-exact with ATen).
 */
public final class FakeQuantGrad {
    private FakeQuantGrad() {
    }

    /**
     * Records {@code y = fake_quantize(x)} with the qparams that forward used.
     *
     * @param tape the tape to record on
     * @param x         the input
     * @param y         the forward's output
     * @param scale     the scales the forward used (one, or one per channel)
     * @param zeroPoint the zero points the forward used
     * @param axis -1 per tensor ({@code y} in {@code x}'s memory format), else the logical channel
     *             axis ({@code y} contiguous)
     * @param quantMin  the smallest quantized value
     * @param quantMax  the largest quantized value
     */
    public static void record(GradTape tape, Tensor x, Tensor y, float[] scale, int[] zeroPoint, int axis, int quantMin,
                              int quantMax) {
        float[] s = scale.clone();
        int[] z = zeroPoint.clone();
        if (axis < 0) {
            float[] xs = x.storageFloat("fake quantization backward").data();
            // per tensor the output keeps the input's memory format, so gradients need no moving
            tape.record(y, (g, needs) -> new float[][]{FakeQuantization.perTensorGradient(xs, g, s[0], z[0], quantMin, quantMax)}, x);
        } else {
            float[] xs = x.contiguousFloat("fake quantization backward").data();
            int[] shape = x.shape();
            tape.record(y, (g, needs) -> new float[][]{Layouts.logicalToStorage(x, FakeQuantization.perChannelGradient(xs,
                    Layouts.storageToLogical(y, g), shape, axis, s, z, quantMin, quantMax))}, x);
        }
    }

    /**
     * Records {@code y = x} (fake quantization disabled: the values pass unchanged).
     *
     * @param tape the tape to record on
     * @param x    the input
     * @param y    the forward's output, equal to {@code x}
     */
    public static void identity(GradTape tape, Tensor x, Tensor y) {
        tape.record(y, (g, needs) -> new float[][]{Layouts.restore(y, x, g)}, x);
    }
}
