package dev.vquant.engine.testing;

import dev.vquant.engine.spi.ConvGeometry;

import java.util.List;

/**
 * Shape of a depthwise test shared by {@link DepthwiseKernelTester} and
 * {@link FloatDepthwiseKernelTester}: input {@code [batch][h][w][channels]} NHWC, kernel
 * {@code kernelH x kernelW}, stride, symmetric padding, dilation, and the output row range
 * {@code [rowStart, rowEnd)} over {@code batch * outH} rows (default all). The output array has
 * guard elements after its end; rows outside the range and the guard must stay untouched.
 */
abstract class DepthwiseTesterBase<T extends DepthwiseTesterBase<T>> {
    /** Canary elements after the output tensor. */
    static final int GUARD = 5;

    int channels = 1;
    int batch = 1;
    int h = 1;
    int w = 1;
    int kernelH = 3;
    int kernelW = 3;
    int strideH = 1;
    int strideW = 1;
    int padH;
    int padW;
    int dilationH = 1;
    int dilationW = 1;
    int rowStart;
    int rowEnd = -1;
    long seed = 1;

    abstract T self();

    public T channels(int channels) {
        this.channels = channels;
        return self();
    }

    public T batch(int batch) {
        this.batch = batch;
        return self();
    }

    /** Input height and width. */
    public T size(int h, int w) {
        this.h = h;
        this.w = w;
        return self();
    }

    /** Square kernel. */
    public T kernel(int k) {
        return kernel(k, k);
    }

    public T kernel(int kernelH, int kernelW) {
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        return self();
    }

    public T stride(int s) {
        return stride(s, s);
    }

    public T stride(int strideH, int strideW) {
        this.strideH = strideH;
        this.strideW = strideW;
        return self();
    }

    public T pad(int p) {
        return pad(p, p);
    }

    public T pad(int padH, int padW) {
        this.padH = padH;
        this.padW = padW;
        return self();
    }

    public T dilation(int d) {
        return dilation(d, d);
    }

    public T dilation(int dilationH, int dilationW) {
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        return self();
    }

    /** Output rows {@code [rowStart, rowEnd)} of the {@code batch * outH} rows (default all). */
    public T rows(int rowStart, int rowEnd) {
        this.rowStart = rowStart;
        this.rowEnd = rowEnd;
        return self();
    }

    public T seed(long seed) {
        this.seed = seed;
        return self();
    }

    public ConvGeometry geometry() {
        return new ConvGeometry(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW);
    }

    /**
     * Shrinks the kernel to the largest one that fits the padded input ({@link FittingGeometry}),
     * so a property that draws size, kernel, padding and dilation independently always tests a
     * valid shape instead of discarding the draw. Call after size, padding and dilation are set.
     */
    public T fitKernel() {
        this.kernelH = FittingGeometry.fitKernel(kernelH, h, padH, dilationH);
        this.kernelW = FittingGeometry.fitKernel(kernelW, w, padW, dilationW);
        return self();
    }

    /** True when the (dilated) kernel fits the padded input, i.e. the shape is testable. */
    public boolean geometryFits() {
        return kernelH > 0 && kernelW > 0 && dilationH > 0 && dilationW > 0 && h > 0 && w > 0
                && h + 2L * padH >= (long) dilationH * (kernelH - 1) + 1
                && w + 2L * padW >= (long) dilationW * (kernelW - 1) + 1;
    }

    int outH() {
        return geometry().outH(h);
    }

    int outW() {
        return geometry().outW(w);
    }

    int rowEnd() {
        return rowEnd < 0 ? batch * outH() : rowEnd;
    }

    void checkShape() {
        if (channels < 1 || batch < 1 || !geometryFits() || rowStart < 0 || rowStart > rowEnd() || rowEnd() > batch * outH()) {
            throw new IllegalStateException("invalid test shape: " + describe());
        }
    }

    int inputLength() {
        return batch * h * w * channels;
    }

    int outputLength() {
        return batch * outH() * outW() * channels + GUARD;
    }

    boolean written(int idx) {
        int rowSize = outW() * channels;
        return idx >= rowStart * rowSize && idx < rowEnd() * rowSize;
    }

    String where(int idx) {
        int rowSize = outW() * channels;
        int row = idx / rowSize;
        if (row >= batch * outH()) {
            return "guard[" + (idx - batch * outH() * rowSize) + "]";
        }
        return "out[n=" + row / outH() + "][oy=" + row % outH() + "][ox=" + (idx % rowSize) / channels + "][c="
                + idx % channels + "]";
    }

    /** A named input size and window geometry, applied to any depthwise tester. */
    record Geometry(String name, int h, int w, int kernelH, int kernelW, int stride, int pad, int dilation) {
        <T extends DepthwiseTesterBase<T>> T applyTo(T t) {
            return t.size(h, w).kernel(kernelH, kernelW).stride(stride).pad(pad).dilation(dilation);
        }
    }

    /** The geometries where window loops break: fast cases, strides, dilation, padding-dominated images. */
    static List<Geometry> edgeGeometries() {
        return List.of(
                new Geometry("3x3 s1 p1 on 7x9", 7, 9, 3, 3, 1, 1, 1),
                new Geometry("3x3 s2 p1 on 8x7", 8, 7, 3, 3, 2, 1, 1),
                new Geometry("3x3 s1 p0 on 5x4", 5, 4, 3, 3, 1, 0, 1),
                new Geometry("5x5 s1 p2 on 6x8", 6, 8, 5, 5, 1, 2, 1),
                new Geometry("5x5 s2 p2 on 9x9", 9, 9, 5, 5, 2, 2, 1),
                new Geometry("1x1 on 3x5", 3, 5, 1, 1, 1, 0, 1),
                new Geometry("7x7 s1 p3 on 4x4", 4, 4, 7, 7, 1, 3, 1),
                new Geometry("3x5 s1 p2 on 5x6", 5, 6, 3, 5, 1, 2, 1),
                new Geometry("3x3 dilation 2 p2 on 7x7", 7, 7, 3, 3, 1, 2, 2),
                new Geometry("3x3 p1 on a 1x1 image", 1, 1, 3, 3, 1, 1, 1),
                new Geometry("3x3 s3 p1 on 2x2", 2, 2, 3, 3, 3, 1, 1));
    }

    String describe() {
        return "C=" + channels + " batch=" + batch + " HxW=" + h + "x" + w + " kernel=" + kernelH + "x" + kernelW
                + " stride=" + strideH + "x" + strideW + " pad=" + padH + "x" + padW + " dilation=" + dilationH + "x"
                + dilationW + " rows [" + rowStart + ", " + (geometryFits() ? String.valueOf(rowEnd()) : "?") + ") seed=" + seed;
    }
}
