package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.VectorWidth;

/** The widths the x86 depthwise families are written for. */
final class Widths {
    private Widths() {
    }

    /** {@code width} itself when it is V512 or V256, else an IllegalArgumentException. */
    static VectorWidth require(VectorWidth width, String family) {
        if (width != VectorWidth.V512 && width != VectorWidth.V256) {
            throw new IllegalArgumentException(family + " kernels exist for V512 and V256, not " + width);
        }
        return width;
    }
}
