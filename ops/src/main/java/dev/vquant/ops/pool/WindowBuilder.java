package dev.vquant.ops.pool;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.core.TensorChecks;

/**
 * Options of a 2-D pooling window, with PyTorch's names and defaults: {@code kernel_size}
 * (required), {@code stride} (default: the kernel size), {@code padding} (0), {@code dilation}
 * (1), {@code ceil_mode} (false), and the thread count. Values are checked by {@code build()}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class WindowBuilder<B extends WindowBuilder<B>> {
    private final String op;
    private final int kernelH;
    private final int kernelW;
    private int strideH = -1;
    private int strideW = -1;
    private int padH;
    private int padW;
    private int dilationH = 1;
    private int dilationW = 1;
    private boolean ceilMode;
    private int threads;
    private ConvGeometry geometry;
    private boolean geometrySet;

    /**
     * A window of {@code kernelH x kernelW}.
     *
     * @param op      the operator's name, for messages
     * @param kernelH kernel height
     * @param kernelW kernel width
     */
    protected WindowBuilder(String op, int kernelH, int kernelW) {
        this.op = op;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
    }

    /**
     * This builder, typed as the concrete one.
     *
     * @return {@code this}
     */
    protected abstract B self();

    /**
     * The stride along both axes (default: the kernel size, as PyTorch's).
     *
     * @param stride the stride
     * @return this builder
     */
    public B stride(int stride) {
        return stride(stride, stride);
    }

    /**
     * The stride per axis.
     *
     * @param strideH along the height
     * @param strideW along the width
     * @return this builder
     */
    public B stride(int strideH, int strideW) {
        this.strideH = strideH;
        this.strideW = strideW;
        return self();
    }

    /**
     * Implicit padding on both sides of both axes (default 0).
     *
     * @param padding the padding
     * @return this builder
     */
    public B padding(int padding) {
        return padding(padding, padding);
    }

    /**
     * Implicit padding per axis.
     *
     * @param padH along the height
     * @param padW along the width
     * @return this builder
     */
    public B padding(int padH, int padW) {
        this.padH = padH;
        this.padW = padW;
        return self();
    }

    /**
     * Dilation along both axes (default 1).
     *
     * @param dilation the dilation
     * @return this builder
     */
    public B dilation(int dilation) {
        this.dilationH = dilation;
        this.dilationW = dilation;
        return self();
    }

    /**
     * PyTorch's {@code ceil_mode}: round the output size up (default false).
     *
     * @param ceilMode whether to round up
     * @return this builder
     */
    public B ceilMode(boolean ceilMode) {
        this.ceilMode = ceilMode;
        return self();
    }

    /**
     * Threads for this operator; 0 (the default) follows {@link dev.vquant.ops.core.Threads#get()}.
     *
     * @param threads the thread count
     * @return this builder
     * @throws IllegalArgumentException for a negative count
     */
    public B threads(int threads) {
        this.threads = TensorChecks.threads(op, threads);
        return self();
    }

    /**
     * The whole window as the kernel SPI's geometry, replacing kernel, stride, padding and
     * dilation (for callers that already hold one).
     *
     * @param geometry the window
     * @return this builder
     */
    public B geometry(ConvGeometry geometry) {
        this.geometry = geometry;
        this.geometrySet = true;
        return self();
    }

    /**
     * The window as the kernels take it.
     *
     * @return the geometry set (null when null was set: the operator names it), else one from
     *         kernel, stride, padding and dilation
     * @throws IllegalArgumentException naming the operator for a size {@code <= 0} or a negative padding
     */
    protected ConvGeometry window() {
        if (geometrySet) {
            return geometry;
        }
        int sh = strideH < 0 ? kernelH : strideH;
        int sw = strideW < 0 ? kernelW : strideW;
        return TensorChecks.named(op, () -> new ConvGeometry(kernelH, kernelW, sh, sw, padH, padW, dilationH, dilationW));
    }

    /**
     * Whether {@code ceil_mode} is set.
     *
     * @return the flag
     */
    protected boolean ceil() {
        return ceilMode;
    }

    /**
     * The thread count.
     *
     * @return threads, 0 for the default
     */
    protected int threadCount() {
        return threads;
    }
}
