package dev.vquant.engine.testing;

/**
 * Convolution and pooling geometry that is valid by construction, for properties that draw
 * sizes, kernels, padding and dilation independently. Filtering the invalid draws away (jqwik's
 * {@code Assume}) can reject every try of a short run and fail the property by chance; shrinking
 * the kernel to the largest one that fits keeps every draw and every size.
 */
public final class FittingGeometry {
    private FittingGeometry() {
    }

    /**
     * The largest kernel extent {@code <= kernel} whose dilated window fits an input of
     * {@code size} padded by {@code pad} on both sides: {@code dilation * (k - 1) + 1 <= size + 2 pad}.
     * Always at least 1 for {@code size >= 1}.
     */
    public static int fitKernel(int kernel, int size, int pad, int dilation) {
        if (kernel < 1 || size < 1 || pad < 0 || dilation < 1) {
            throw new IllegalArgumentException("kernel " + kernel + ", size " + size + ", pad " + pad + ", dilation "
                    + dilation + ": kernel, size and dilation must be >= 1 and pad >= 0");
        }
        return Math.min(kernel, (size + 2 * pad - 1) / dilation + 1);
    }

    /** The smallest input extent whose {@code pad}-padded size holds the dilated kernel (at least 1). */
    public static int minSize(int kernel, int pad, int dilation) {
        return Math.max(1, dilation * (kernel - 1) + 1 - 2 * pad);
    }
}
