package dev.vquant.engine.spi;

import dev.vquant.engine.DType;

/**
 * Argument checks shared by every backend's kernel entry points, written once so that bad input
 * gets the same clear {@link IllegalArgumentException} on every engine, and never an index
 * error deep inside a vector loop. All checks are O(1) (or O(channels)), cheap next to the work.
 */
public final class KernelArgs {
    private KernelArgs() {
    }

    /**
     * {@code array[offset + i*stride + j]} must be in bounds for {@code i < rows, j < cols}.
     *
     * @param what        names the matrix in the message ("activations A", ...)
     * @param arrayLength length of the array holding the matrix
     * @param offset      index of element {@code [0][0]}
     * @param rows        number of rows, {@code >= 0}
     * @param cols        number of columns, {@code >= 0}
     * @param stride      leading dimension (row stride) in elements, {@code >= cols} when {@code rows > 1}
     * @throws IllegalArgumentException naming {@code what} and the offending sizes otherwise
     */
    public static void checkMatrix(String what, int arrayLength, int offset, int rows, int cols, int stride) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(what + ": negative size " + rows + "x" + cols);
        }
        if (offset < 0) {
            throw new IllegalArgumentException(what + ": negative offset " + offset);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        if (stride < cols && rows > 1) {
            throw new IllegalArgumentException(what + ": leading dimension " + stride + " is smaller than the row length " + cols);
        }
        long last = (long) offset + (long) (rows - 1) * stride + cols;
        if (last > arrayLength) {
            throw new IllegalArgumentException(what + ": " + rows + "x" + cols + " at offset " + offset + " with leading dimension "
                    + stride + " needs " + last + " elements but the array has " + arrayLength);
        }
    }

    /**
     * {@code [offset, offset+len)} must lie inside an array of {@code arrayLength}.
     *
     * @param what        names the range in the message
     * @param arrayLength length of the array
     * @param offset      first index, {@code >= 0}
     * @param len         number of elements, {@code >= 0}
     * @throws IllegalArgumentException naming {@code what} and the offending sizes otherwise
     */
    public static void checkRange(String what, int arrayLength, int offset, int len) {
        if (len < 0 || offset < 0 || (long) offset + len > arrayLength) {
            throw new IllegalArgumentException(what + ": range [" + offset + ", " + ((long) offset + len)
                    + ") is outside an array of " + arrayLength);
        }
    }

    /**
     * Column range of a GEMM over {@code n} columns: {@code 0 <= nStart <= nEnd <= n}.
     *
     * @param nStart first column
     * @param nEnd   end column, exclusive
     * @param n      the weights' column count
     * @throws IllegalArgumentException when the range is outside {@code [0, n)} or reversed
     */
    public static void checkColumns(int nStart, int nEnd, int n) {
        if (nStart < 0 || nEnd > n || nStart > nEnd) {
            throw new IllegalArgumentException("column range [" + nStart + ", " + nEnd + ") is outside [0, " + n + ")");
        }
    }

    /**
     * The one validation of an int8 GEMM call ({@link QGemmKernels#gemmInt32} and its twins), for
     * every engine: packed weights present, activation zero point in quint8, column range inside
     * {@code [0, w.n())}, {@code A} an {@code m x w.k()} matrix inside {@code a} (leading
     * dimension {@code lda >= k}), and the output an {@code m x nEnd} matrix inside an array of
     * {@code cLength} elements ({@code cLength < 0}: no output array). Whether the weights were
     * packed by the engine that runs them is the engine's own check (its cast).
     *
     * @param a             activations, quint8
     * @param aOffset       index of {@code A[0][0]} in {@code a}
     * @param lda           row stride of {@code A} in elements
     * @param m             number of rows
     * @param aZeroPoint    activation zero point
     * @param w             the packed weights
     * @param nStart        first output column
     * @param nEnd          end of the output columns, exclusive
     * @param stage         names the output stage in the message ("requantization", "float output stage"), or null
     *                      when the call has none (int32 output)
     * @param stageChannels the stage's channel count (must equal {@code w.n()}); ignored without a stage, -1 for a
     *                      null stage
     * @param cLength       length of the output array, or -1 when it is null
     * @param cOffset       index of {@code C[0][0]} in the output array
     * @param ldc           row stride of {@code C} in elements
     * @throws IllegalArgumentException naming the first argument that is wrong
     */
    public static void checkGemm(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w,
                                 int nStart, int nEnd, String stage, int stageChannels, int cLength, int cOffset,
                                 int ldc) {
        if (w == null) {
            throw new IllegalArgumentException("packed weights must not be null");
        }
        checkActivationZeroPoint(aZeroPoint);
        checkColumns(nStart, nEnd, w.n());
        if (a == null) {
            throw new IllegalArgumentException("activation array must not be null");
        }
        checkMatrix("activations A", a.length, aOffset, m, w.k(), lda);
        if (stage != null && stageChannels != w.n()) {
            throw new IllegalArgumentException(stage + " must have " + w.n() + " channels (one per output column), got "
                    + (stageChannels < 0 ? "null" : stageChannels));
        }
        if (cLength < 0) {
            throw new IllegalArgumentException("output array must not be null");
        }
        checkMatrix("output C", cLength, cOffset, m, nEnd, ldc);
    }

    /**
     * {@link #checkGemm} as an assertion for the {@code run...} kernels behind the checked entry
     * points: {@code assert KernelArgs.validGemm(...)} re-checks under {@code -ea} only.
     * Parameters as {@link #checkGemm}, without an output stage.
     *
     * @param a          activations, quint8
     * @param aOffset    index of {@code A[0][0]} in {@code a}
     * @param lda        row stride of {@code A} in elements
     * @param m          number of rows
     * @param aZeroPoint activation zero point
     * @param w          the packed weights
     * @param nStart     first output column
     * @param nEnd       end of the output columns, exclusive
     * @param cLength    length of the output array, or -1 when it is null
     * @param cOffset    index of {@code C[0][0]} in the output array
     * @param ldc        row stride of {@code C} in elements
     * @return true (never false: bad arguments throw)
     * @throws IllegalArgumentException as {@link #checkGemm}
     */
    public static boolean validGemm(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w,
                                    int nStart, int nEnd, int cLength, int cOffset, int ldc) {
        checkGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, null, 0, cLength, cOffset, ldc);
        return true;
    }

    /**
     * A quint8 activation zero point.
     *
     * @param zp the zero point
     * @throws IllegalArgumentException when {@code zp} is outside {@code [0, 255]}
     */
    public static void checkActivationZeroPoint(int zp) {
        if (zp < 0 || zp > 255) {
            throw new IllegalArgumentException("activation zero point " + zp + " is outside quint8 [0, 255]");
        }
    }

    /**
     * Weight zero points: length 1 or {@code n}, each in qint8 range.
     *
     * @param zeroPoints one (per tensor) or {@code n} (per output channel) zero points
     * @param n          the weights' output channel count
     * @throws IllegalArgumentException for a null array, another length, or a value outside {@code [-128, 127]}
     */
    public static void checkWeightZeroPoints(int[] zeroPoints, int n) {
        if (zeroPoints == null || (zeroPoints.length != 1 && zeroPoints.length != n)) {
            throw new IllegalArgumentException("need 1 or " + n + " weight zero points, got "
                    + (zeroPoints == null ? "null" : zeroPoints.length));
        }
        for (int z : zeroPoints) {
            if (z < -128 || z > 127) {
                throw new IllegalArgumentException("weight zero point " + z + " is outside qint8 [-128, 127]");
            }
        }
    }

    /**
     * A quantization scale: finite, {@code > 0}, and a normal float32 once rounded
     * ({@code f32(scale) >= 2^-126}, so that the {@code f32(1 / scale)} every quantize step
     * multiplies by is finite: a subnormal scale would turn 0 into NaN). The one scale rule of
     * {@link dev.vquant.engine.QParams}, the kernels and the operators' output qparams.
     *
     * @param what  names the scale in the message ("scale", "Linear: output scale", ...)
     * @param scale the scale to check
     * @throws IllegalArgumentException naming {@code what} and the value otherwise
     */
    public static void checkScale(String what, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + scale);
        }
        float f = (float) scale;
        if (!(f >= Float.MIN_NORMAL) || Float.isInfinite(f)) {
            throw new IllegalArgumentException(what + " = " + scale + " is not a positive finite float32 of normal size (needs "
                    + Float.MIN_NORMAL + " <= f32(scale) <= " + Float.MAX_VALUE + ", so that 1/scale is finite)");
        }
    }

    /**
     * Per-tensor quantization parameters for {@code dtype} (quint8 or qint8); the scale as {@link #checkScale}.
     *
     * @param scale     the scale as the kernels use it, float32
     * @param zeroPoint the zero point
     * @param dtype     quint8 or qint8
     * @throws IllegalArgumentException for another dtype, a bad scale, or a zero point outside the dtype's range
     */
    public static void checkQuantParams(float scale, int zeroPoint, DType dtype) {
        if (dtype == null || !dtype.isByte()) {
            throw new IllegalArgumentException("quantize/dequantize works on quint8 or qint8, got " + dtype);
        }
        checkScale("scale", scale);
        if (zeroPoint < dtype.min() || zeroPoint > dtype.max()) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " is outside " + dtype + " range ["
                    + dtype.min() + ", " + dtype.max() + "]");
        }
    }

    /**
     * Per-channel quantization parameters: one per channel, each valid as {@link #checkQuantParams}.
     *
     * @param scales     one float32 scale per channel
     * @param zeroPoints one zero point per channel
     * @param channels   the channel count
     * @param dtype      quint8 or qint8
     * @throws IllegalArgumentException for null or wrong-length arrays or any invalid pair
     */
    public static void checkPerChannelParams(float[] scales, int[] zeroPoints, int channels, DType dtype) {
        if (scales == null || zeroPoints == null || scales.length != channels || zeroPoints.length != channels) {
            throw new IllegalArgumentException("per-channel parameters need " + channels + " scales and zero points, got "
                    + (scales == null ? "null" : scales.length) + " and " + (zeroPoints == null ? "null" : zeroPoints.length));
        }
        for (int c = 0; c < channels; c++) {
            checkQuantParams(scales[c], zeroPoints[c], dtype);
        }
    }

    /**
     * Per-channel parameters with double scales (per-channel dequantize), each scale as
     * {@link #checkScale}, then as {@link #checkPerChannelParams(float[], int[], int, DType)}.
     *
     * @param scales     one scale per channel
     * @param zeroPoints one zero point per channel
     * @param channels   the channel count
     * @param dtype      quint8 or qint8
     * @throws IllegalArgumentException for null or wrong-length arrays or any invalid pair
     */
    public static void checkPerChannelParams(double[] scales, int[] zeroPoints, int channels, DType dtype) {
        if (scales == null) {
            throw new IllegalArgumentException("per-channel parameters need " + channels + " scales, got null");
        }
        float[] asFloat = new float[scales.length];
        for (int c = 0; c < scales.length; c++) {
            checkScale("scales[" + c + "]", scales[c]);
            asFloat[c] = (float) scales[c];
        }
        checkPerChannelParams(asFloat, zeroPoints, channels, dtype);
    }

    /**
     * Extents of a per-channel quantize/dequantize call: {@code [outer][channels][inner]} with
     * {@code outer, inner >= 0}, {@code channels > 0}, within int indexing, and both arrays at least
     * that long.
     *
     * @param inLength  length of the input array
     * @param outLength length of the output array
     * @param outer     product of the dimensions before the channel axis
     * @param channels  size of the channel axis
     * @param inner     product of the dimensions after the channel axis
     * @throws IllegalArgumentException for negative extents, no channels, more than 2^31-1
     *                                  elements, or an array shorter than the tensor
     */
    public static void checkPerChannelExtents(int inLength, int outLength, int outer, int channels, int inner) {
        if (outer < 0 || inner < 0) {
            throw new IllegalArgumentException("per-channel extents must be >= 0, got outer " + outer + ", inner " + inner);
        }
        checkPositive("channels", channels);
        long total = (long) outer * channels * inner;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("per-channel tensor [" + outer + "][" + channels + "][" + inner
                    + "] has more than 2^31-1 elements");
        }
        checkRange("per-channel input", inLength, 0, (int) total);
        checkRange("per-channel output", outLength, 0, (int) total);
    }

    /**
     * Extents of a depthwise call (int8 or float): input {@code [batch][h][w][channels]} and output
     * {@code [batch][outH][outW][channels]} (NHWC, offset 0, sizes from {@link ConvGeometry}), output
     * rows {@code [rowStart, rowEnd)} over the {@code batch * outH} rows, geometry matching the
     * packed weights' {@code kernelH x kernelW}, both tensors within int indexing.
     *
     * @param inputLength  length of the input array
     * @param batch        number of images
     * @param h            input height
     * @param w            input width
     * @param channels     channel count
     * @param kernelH      kernel height of the packed weights
     * @param kernelW      kernel width of the packed weights
     * @param g            the call's geometry
     * @param rowStart     first output row
     * @param rowEnd       end of the output rows, exclusive
     * @param outputLength length of the output array
     * @throws IllegalArgumentException naming the first size, geometry or range that is wrong
     */
    public static void checkDepthwise(int inputLength, int batch, int h, int w, int channels, int kernelH, int kernelW,
                                      ConvGeometry g, int rowStart, int rowEnd, int outputLength) {
        if (g == null) {
            throw new IllegalArgumentException("convolution geometry must not be null");
        }
        checkPositive("batch", batch);
        checkPositive("input height", h);
        checkPositive("input width", w);
        checkPositive("channels", channels);
        if (g.kernelH() != kernelH || g.kernelW() != kernelW) {
            throw new IllegalArgumentException("geometry kernel " + g.kernelH() + "x" + g.kernelW()
                    + " does not match the packed weights' " + kernelH + "x" + kernelW);
        }
        int outH = g.outH(h);
        int outW = g.outW(w);
        long inSize = (long) batch * h * w * channels;
        long outSize = (long) batch * outH * outW * channels;
        if (inSize > Integer.MAX_VALUE || outSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("depthwise tensors over 2^31-1 elements are not supported: input "
                    + inSize + ", output " + outSize);
        }
        long rows = (long) batch * outH;
        if (rowStart < 0 || rowStart > rowEnd || rowEnd > rows) {
            throw new IllegalArgumentException("output row range [" + rowStart + ", " + rowEnd + ") is outside [0, " + rows
                    + ") (batch " + batch + " x output height " + outH + ")");
        }
        checkRange("depthwise input", inputLength, 0, (int) inSize);
        checkRange("depthwise output", outputLength, 0, (int) outSize);
    }

    /**
     * The one validation of an int8 depthwise call ({@link DepthwiseKernels#convInt32} and
     * {@link DepthwiseKernels#convRequantize}), for every engine: packed weights present, activation
     * zero point in quint8, input and output arrays present, the output stage (if any) with one
     * channel per weight channel, then the extents, geometry and row range as
     * {@link #checkDepthwise}. Whether the weights were packed by the engine that runs them is the
     * engine's own check (its cast).
     *
     * @param x             quint8 input {@code [batch][h][w][C]}, or null (rejected)
     * @param batch         number of images
     * @param h             input height
     * @param w             input width
     * @param aZeroPoint    activation zero point
     * @param weights       the packed weights
     * @param g             the call's geometry
     * @param stage         names the output stage in the message ("requantization"), or null when the
     *                      call has none (int32 output)
     * @param stageChannels the stage's channel count, -1 for a null stage; ignored without a stage
     * @param rowStart      first output row
     * @param rowEnd        end of the output rows, exclusive
     * @param outputLength  length of the output array, or -1 when it is null
     * @throws IllegalArgumentException naming the first argument that is wrong
     */
    public static void checkDepthwiseCall(byte[] x, int batch, int h, int w, int aZeroPoint,
                                          PackedDepthwiseWeights weights, ConvGeometry g, String stage,
                                          int stageChannels, int rowStart, int rowEnd, int outputLength) {
        if (weights == null) {
            throw new IllegalArgumentException("packed depthwise weights must not be null");
        }
        checkActivationZeroPoint(aZeroPoint);
        if (x == null) {
            throw new IllegalArgumentException("depthwise input array must not be null");
        }
        if (stage != null && stageChannels != weights.channels()) {
            throw new IllegalArgumentException(stage + " must have " + weights.channels() + " channels, got "
                    + (stageChannels < 0 ? "null" : stageChannels));
        }
        if (outputLength < 0) {
            throw new IllegalArgumentException("depthwise output array must not be null");
        }
        checkDepthwise(x.length, batch, h, w, weights.channels(), weights.kernelH(), weights.kernelW(), g, rowStart,
                rowEnd, outputLength);
    }

    /**
     * {@link #checkDepthwiseCall} as an assertion for the {@code run...} kernels behind the checked
     * entry points: {@code assert KernelArgs.validDepthwise(...)} re-checks under {@code -ea} only.
     * Parameters as {@link #checkDepthwiseCall}, without an output stage.
     *
     * @param x            quint8 input
     * @param batch        number of images
     * @param h            input height
     * @param w            input width
     * @param aZeroPoint   activation zero point
     * @param weights      the packed weights
     * @param g            the call's geometry
     * @param rowStart     first output row
     * @param rowEnd       end of the output rows, exclusive
     * @param outputLength length of the output array, or -1 when it is null
     * @return true (never false: bad arguments throw)
     * @throws IllegalArgumentException as {@link #checkDepthwiseCall}
     */
    public static boolean validDepthwise(byte[] x, int batch, int h, int w, int aZeroPoint,
                                         PackedDepthwiseWeights weights, ConvGeometry g, int rowStart, int rowEnd,
                                         int outputLength) {
        checkDepthwiseCall(x, batch, h, w, aZeroPoint, weights, g, null, 0, rowStart, rowEnd, outputLength);
        return true;
    }

    /**
     * The one validation of a float32 depthwise call ({@link FloatDepthwiseKernels#conv}), for
     * every engine: packed weights present, input and output arrays present, a bias of one entry per
     * channel (or none), a clamp range that is neither empty nor NaN, then the extents, geometry and
     * row range as {@link #checkDepthwise}. Whether the weights were packed by the engine that runs
     * them is the engine's own check (its cast).
     *
     * @param x            input {@code [batch][h][w][C]}, or null (rejected)
     * @param batch        number of images
     * @param h            input height
     * @param w            input width
     * @param weights      the packed weights
     * @param g            the call's geometry
     * @param bias         {@code C} entries, or null
     * @param clampMin     lower clamp
     * @param clampMax     upper clamp
     * @param rowStart     first output row
     * @param rowEnd       end of the output rows, exclusive
     * @param outputLength length of the output array, or -1 when it is null
     * @throws IllegalArgumentException naming the first argument that is wrong
     */
    public static void checkFloatDepthwiseCall(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights,
                                               ConvGeometry g, float[] bias, float clampMin, float clampMax,
                                               int rowStart, int rowEnd, int outputLength) {
        if (weights == null) {
            throw new IllegalArgumentException("packed depthwise weights must not be null");
        }
        if (x == null) {
            throw new IllegalArgumentException("depthwise input array must not be null");
        }
        if (outputLength < 0) {
            throw new IllegalArgumentException("depthwise output array must not be null");
        }
        if (bias != null && bias.length != weights.channels()) {
            throw new IllegalArgumentException("bias has " + bias.length + " entries for " + weights.channels()
                    + " output channels");
        }
        if (!(clampMin <= clampMax)) {
            throw new IllegalArgumentException("clamp range [" + clampMin + ", " + clampMax + "] is empty or NaN");
        }
        checkDepthwise(x.length, batch, h, w, weights.channels(), weights.kernelH(), weights.kernelW(), g, rowStart,
                rowEnd, outputLength);
    }

    /**
     * {@link #checkFloatDepthwiseCall} as an assertion for the {@code run} kernels behind the
     * checked entry point: {@code assert KernelArgs.validFloatDepthwise(...)} re-checks under
     * {@code -ea} only.
     *
     * @param x            input
     * @param batch        number of images
     * @param h            input height
     * @param w            input width
     * @param weights      the packed weights
     * @param g            the call's geometry
     * @param bias         {@code C} entries, or null
     * @param clampMin     lower clamp
     * @param clampMax     upper clamp
     * @param rowStart     first output row
     * @param rowEnd       end of the output rows, exclusive
     * @param outputLength length of the output array, or -1 when it is null
     * @return true (never false: bad arguments throw)
     * @throws IllegalArgumentException as {@link #checkFloatDepthwiseCall}
     */
    public static boolean validFloatDepthwise(float[] x, int batch, int h, int w, PackedFloatDepthwiseWeights weights,
                                              ConvGeometry g, float[] bias, float clampMin, float clampMax,
                                              int rowStart, int rowEnd, int outputLength) {
        checkFloatDepthwiseCall(x, batch, h, w, weights, g, bias, clampMin, clampMax, rowStart, rowEnd, outputLength);
        return true;
    }

    /**
     * A value that must be positive.
     *
     * @param what names the value in the message
     * @param v    the value
     * @throws IllegalArgumentException when {@code v <= 0}
     */
    public static void checkPositive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + v);
        }
    }

    /**
     * Weights must come from the backend that runs them.
     *
     * @param w      the packed weights
     * @param engine name of the engine about to run them
     * @throws IllegalArgumentException for null weights or weights packed for another engine
     */
    public static void checkPackedFor(PackedWeights w, String engine) {
        if (w == null) {
            throw new IllegalArgumentException("packed weights must not be null");
        }
        if (!w.engine().equals(engine)) {
            throw new IllegalArgumentException("weights were packed for engine '" + w.engine() + "' but run on '" + engine
                    + "'; repack them for the current engine");
        }
    }
}
