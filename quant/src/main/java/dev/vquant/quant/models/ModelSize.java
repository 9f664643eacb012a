package dev.vquant.quant.models;

import dev.vquant.engine.QTensor;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.Module;

/**
 * The bytes a model's weights take, counted from its {@link Module#stateDict() state dict}:
 * float32 entries 4 bytes per element; quantized entries 1 byte per int8/uint8 element (4 for
 * qint32) plus 16 bytes per quantization parameter pair (a float64 scale and an int64 zero point,
 * as PyTorch stores per-channel qparams). What "4x smaller" compares.
 */
public final class ModelSize {
    private ModelSize() {
    }

    /**
     * The weight bytes of {@code model}'s state dict.
     *
     * @param model a float, quantized or partly quantized model
     * @return the bytes of its state dict's tensors, counted as described above
     */
    public static long weightBytes(Module model) {
        long bytes = 0;
        for (Tensor t : model.stateDict().values()) {
            if (t.isQuantized()) {
                QTensor q = t.engineQuantized("ModelSize");
                bytes += (long) q.numel() * (q.dtype().isByte() ? 1 : 4) + 16L * q.qparams().count();
            } else {
                bytes += 4L * t.numel();
            }
        }
        return bytes;
    }
}
