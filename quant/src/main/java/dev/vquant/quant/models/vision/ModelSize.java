package dev.vquant.quant.models.vision;

import dev.vquant.quant.io.StateDicts;
import dev.vquant.quant.io.StoredTensor;
import dev.vquant.quant.nn.Module;

/**
 * The bytes a model's weights take: its state dict as {@link StateDicts#save} stores it (float32
 * entries 4 bytes a value; quantized weights 1 byte a value plus their scales and zero points;
 * batch-norm statistics and qparams included), what PyTorch's {@code print_size_of_model} measures
 * with a saved file, without the file format's header.
 */
public final class ModelSize {

    private ModelSize() {
    }

    /** The summed byte size of every state-dict entry of {@code model}. */
    public static long weightBytes(Module model) {
        long total = 0;
        for (StoredTensor t : StateDicts.toStored(model.stateDict()).values()) {
            total += t.byteSize();
        }
        return total;
    }
}
