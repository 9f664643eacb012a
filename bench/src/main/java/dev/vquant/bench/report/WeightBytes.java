package dev.vquant.bench.report;

import dev.vquant.quant.io.StateDicts;
import dev.vquant.quant.io.StoredTensor;
import dev.vquant.quant.nn.Module;

/** A model's size: the bytes of its state dict's entries as {@code StateDicts.save} writes them (no file header). */
final class WeightBytes {
    private WeightBytes() {
    }

    /** Sum of the entries' data bytes: float32 weights at 4 bytes, int8 weights at 1 plus their scales and zero points. */
    static long of(Module model) {
        long bytes = 0;
        for (StoredTensor t : StateDicts.toStored(model.stateDict()).values()) {
            bytes += t.byteSize();
        }
        return bytes;
    }
}
