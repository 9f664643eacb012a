package dev.vquant.x86.dwconv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelArgs;

/**
 * Argument checks of one depthwise call (int8 or float): null arrays, then
 * {@link KernelArgs#checkDepthwise} (extents, geometry, row range).
 */
final class DepthwiseArgs {
    private DepthwiseArgs() {
    }

    /**
     * Checks every argument of a depthwise call against the packed weights' extents.
     *
     * @throws IllegalArgumentException naming the first bad argument
     */
    static void check(Object input, int inputLength, int batch, int h, int w, int channels, int kernelH, int kernelW,
                      ConvGeometry g, int rowStart, int rowEnd, Object output, int outputLength) {
        if (input == null) {
            throw new IllegalArgumentException("depthwise input array must not be null");
        }
        if (output == null) {
            throw new IllegalArgumentException("depthwise output array must not be null");
        }
        KernelArgs.checkDepthwise(inputLength, batch, h, w, channels, kernelH, kernelW, g, rowStart, rowEnd, outputLength);
    }
}
