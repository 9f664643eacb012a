package dev.vquant.ops.conv;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.core.TensorChecks;

/**
 * The window options {@link QConv2d}'s and {@link FloatConv2d}'s builders share: either a geometry
 * the caller already holds, or PyTorch's {@code Conv2d} defaults around the weight's kernel
 * (stride 1, padding 0, dilation 1) changed by setters, plus the groups (default 1). Mutable; each
 * builder owns one.
 */
final class ConvWindow {
    private final ConvGeometry geometry;
    private final boolean geometryGiven;
    int stride = 1;
    int padding;
    int dilation = 1;
    int groups = 1;

    /** @param geometry the window, or null with {@code geometryGiven} false to take the weight's kernel */
    ConvWindow(ConvGeometry geometry, boolean geometryGiven) {
        this.geometry = geometry;
        this.geometryGiven = geometryGiven;
    }

    /**
     * The geometry given, else one with the kernel of a 4-D {@code weightShape} (null otherwise:
     * ConvSpec names the shape).
     */
    ConvGeometry window(String op, int[] weightShape) {
        if (geometryGiven || weightShape.length != 4) {
            return geometry;
        }
        return TensorChecks.named(op, () -> new ConvGeometry(weightShape[2], weightShape[3], stride, stride, padding,
                padding, dilation, dilation));
    }
}
