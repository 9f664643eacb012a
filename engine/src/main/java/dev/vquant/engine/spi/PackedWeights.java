package dev.vquant.engine.spi;

/**
 * Weights packed once by one backend for its kernels. The layout is private to the backend;
 * what is public is the logical shape and where it was packed, so that a caller holding weights
 * packed for another engine can repack them (operators keep the original weights for that).
 */
public interface PackedWeights {

    /** {@return the name of the engine whose kernels this layout is for} */
    String engine();

    /** {@return the vector width the layout was packed for} */
    VectorWidth width();

    /** {@return the bytes held by the packed form} For reporting the memory saving. */
    long byteSize();
}
