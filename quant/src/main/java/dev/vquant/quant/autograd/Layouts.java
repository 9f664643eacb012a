package dev.vquant.quant.autograd;

import dev.vquant.ops.convert.Layout;
import dev.vquant.quant.Tensor;

/**
 * Moves gradients between a tensor's storage order (what {@link GradFn} exchanges) and the orders
 * an operation's backward computes in: logical row-major, or NHWC for 4-D tensors.
 */
final class Layouts {
    private Layouts() {
    }

    private static boolean channelsLast(Tensor t) {
        return t.rank() == 4 && t.memoryFormat() == Tensor.MemoryFormat.CHANNELS_LAST;
    }

    /** A gradient in logical order to {@code t}'s storage order. */
    static float[] logicalToStorage(Tensor t, float[] logical) {
        return channelsLast(t) ? Layout.nchwToNhwc(logical, t.dim(0), t.dim(1), t.dim(2), t.dim(3)) : logical;
    }

    /** A gradient in {@code t}'s storage order to logical order. */
    static float[] storageToLogical(Tensor t, float[] stored) {
        return channelsLast(t) ? Layout.nhwcToNchw(stored, t.dim(0), t.dim(2), t.dim(3), t.dim(1)) : stored;
    }

    /** A gradient of the 4-D tensor {@code t} in NHWC order to {@code t}'s storage order. */
    static float[] nhwcToStorage(Tensor t, float[] nhwc) {
        return channelsLast(t) ? nhwc : Layout.nhwcToNchw(nhwc, t.dim(0), t.dim(2), t.dim(3), t.dim(1));
    }

    /** A gradient of the 4-D tensor {@code t} in its storage order to NHWC. */
    static float[] storageToNhwc(Tensor t, float[] stored) {
        return channelsLast(t) ? stored : Layout.nchwToNhwc(stored, t.dim(0), t.dim(1), t.dim(2), t.dim(3));
    }

    /** A gradient stored as {@code from} is, moved to {@code to}'s storage order (same logical shape). */
    static float[] restore(Tensor from, Tensor to, float[] g) {
        return channelsLast(from) == channelsLast(to) ? g : logicalToStorage(to, storageToLogical(from, g));
    }

    /** The values of {@code t} in NHWC order (4-D float). */
    static float[] nhwc(Tensor t, String who) {
        return t.engineFloat(who).data();
    }
}
