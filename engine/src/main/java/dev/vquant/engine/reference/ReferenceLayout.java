package dev.vquant.engine.reference;

import dev.vquant.engine.spi.PackedWeights;
import dev.vquant.engine.spi.VectorWidth;

/** What every reference packed layout shares: packed for "reference", at scalar width. */
interface ReferenceLayout extends PackedWeights {

    @Override
    default String engine() {
        return ReferenceBackend.NAME;
    }

    @Override
    default VectorWidth width() {
        return VectorWidth.SCALAR;
    }
}
