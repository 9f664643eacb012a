package dev.vquant.engine.testing;

import dev.vquant.engine.DType;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;
import dev.vquant.engine.spi.PackedFloatWeights;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.spi.VectorWidth;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a kernel family rejects bad input with an {@link IllegalArgumentException} whose
 * message names the problem, never an index error from inside a loop or a silent wrong result
 * (the SPI contract: "validate arguments with KernelArgs"). Each {@code test...} method runs a
 * list of bad calls and fails listing every call that was accepted or threw something else.
 * <pre>BadArgumentsTester.testQGemm(myBackend.qgemm());</pre>
 */
public final class BadArgumentsTester {
    private final List<String> problems = new ArrayList<>();
    private final String family;

    private BadArgumentsTester(String family) {
        this.family = family;
    }

    /** One bad call: must throw IllegalArgumentException whose message contains one of {@code expected}. */
    private void expect(String what, Runnable call, String... expected) {
        try {
            call.run();
            problems.add(what + ": accepted");
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            boolean named = expected.length == 0;
            for (String part : expected) {
                named |= msg.contains(part.toLowerCase(java.util.Locale.ROOT));
            }
            if (!named) {
                problems.add(what + ": message '" + e.getMessage() + "' does not mention any of " + List.of(expected));
            }
        } catch (RuntimeException e) {
            problems.add(what + ": threw " + e + " instead of IllegalArgumentException");
        }
    }

    private void done() {
        if (!problems.isEmpty()) {
            throw new AssertionError("BadArgumentsTester " + family + ":\n  " + String.join("\n  ", problems));
        }
    }

    public static void testQGemm(QGemmKernels k) {
        BadArgumentsTester t = new BadArgumentsTester("QGemmKernels");
        byte[] w = new byte[4 * 6];
        PackedQGemmWeights pw = k.pack(w, 4, 6, new int[] {0});
        byte[] a = new byte[3 * 6];
        int[] c = new int[3 * 4];
        t.expect("pack n = 0", () -> k.pack(w, 0, 6, new int[] {0}), "n");
        t.expect("pack weights too short", () -> k.pack(new byte[5], 4, 6, new int[] {0}), "weights", "elements");
        t.expect("pack 2 zero points for 4 channels", () -> k.pack(w, 4, 6, new int[] {0, 0}), "zero point");
        t.expect("pack zero point 128", () -> k.pack(w, 4, 6, new int[] {128}), "zero point");
        t.expect("column range [0, 5) of 4", () -> k.gemmInt32(a, 0, 6, 3, 0, pw, 0, 5, c, 0, 4), "column range");
        t.expect("column range [3, 2)", () -> k.gemmInt32(a, 0, 6, 3, 0, pw, 3, 2, c, 0, 4), "column range");
        t.expect("activation zero point 256", () -> k.gemmInt32(a, 0, 6, 3, 256, pw, 0, 4, c, 0, 4), "zero point");
        t.expect("lda < k", () -> k.gemmInt32(a, 0, 5, 3, 0, pw, 0, 4, c, 0, 4), "leading dimension");
        t.expect("A too short", () -> k.gemmInt32(a, 1, 6, 3, 0, pw, 0, 4, c, 0, 4), "elements", "array");
        t.expect("C too short", () -> k.gemmInt32(a, 0, 6, 3, 0, pw, 0, 4, c, 1, 4), "elements", "array");
        t.expect("negative m", () -> k.gemmInt32(a, 0, 6, -1, 0, pw, 0, 4, c, 0, 4), "negative");
        t.expect("weights packed for another engine", () -> k.gemmInt32(a, 0, 6, 3, 0, foreignQGemm(), 0, 4, c, 0, 4),
                "packed for engine");
        t.expect("null weights", () -> k.gemmInt32(a, 0, 6, 3, 0, null, 0, 4, c, 0, 4), "weights");
        Requantization rq3 = Requantization.ofMultiplier(0.5f, 0, 0, 255, 3);
        t.expect("requantization for 3 channels", () -> k.gemmRequantize(a, 0, 6, 3, 0, pw, 0, 4, rq3, new byte[12], 0, 4),
                "channels");
        FloatOutput out3 = FloatOutput.of(1, new double[] {1}, null, true, false, 3);
        t.expect("float output for 3 channels", () -> k.gemmFloat(a, 0, 6, 3, 0, pw, 0, 4, out3, new float[12], 0, 4),
                "channels");
        t.done();
    }

    public static void testDepthwise(DepthwiseKernels k) {
        BadArgumentsTester t = new BadArgumentsTester("DepthwiseKernels");
        PackedDepthwiseWeights pw = k.pack(new byte[2 * 9], 2, 3, 3, new int[] {0});
        ConvGeometry g = ConvGeometry.square(3, 1, 1);
        byte[] x = new byte[4 * 4 * 2];
        int[] out = new int[4 * 4 * 2];
        t.expect("pack 3 zero points for 2 channels", () -> k.pack(new byte[18], 2, 3, 3, new int[] {0, 0, 0}), "zero point");
        t.expect("pack weights too short", () -> k.pack(new byte[17], 2, 3, 3, new int[] {0}), "weights", "elements");
        t.expect("geometry kernel 5x5 for 3x3 weights", () -> k.convInt32(x, 1, 4, 4, 0, pw, ConvGeometry.square(5, 1, 2), 0, 4, out),
                "kernel");
        t.expect("row range past the end", () -> k.convInt32(x, 1, 4, 4, 0, pw, g, 0, 5, out), "row");
        t.expect("input too short", () -> k.convInt32(new byte[31], 1, 4, 4, 0, pw, g, 0, 4, out), "input");
        t.expect("output too short", () -> k.convInt32(x, 1, 4, 4, 0, pw, g, 0, 4, new int[31]), "output");
        t.expect("window larger than the padded input", () -> k.convInt32(x, 1, 1, 1, 0, pw, ConvGeometry.square(3, 1, 0), 0, 1, out),
                "kernel extent", "smaller");
        t.expect("activation zero point -1", () -> k.convInt32(x, 1, 4, 4, -1, pw, g, 0, 4, out), "zero point");
        t.expect("batch 0", () -> k.convInt32(x, 0, 4, 4, 0, pw, g, 0, 0, out), "batch");
        Requantization rq1 = Requantization.ofMultiplier(0.5f, 0, 0, 255, 1);
        t.expect("requantization for 1 channel", () -> k.convRequantize(x, 1, 4, 4, 0, pw, g, rq1, 0, 4, new byte[32]), "channels");
        t.expect("null requantization", () -> k.convRequantize(x, 1, 4, 4, 0, pw, g, null, 0, 4, new byte[32]), "requantization");
        t.expect("null input", () -> k.convInt32(null, 1, 4, 4, 0, pw, g, 0, 4, out), "input");
        t.expect("null output", () -> k.convInt32(x, 1, 4, 4, 0, pw, g, 0, 4, null), "output");
        t.expect("null weights", () -> k.convInt32(x, 1, 4, 4, 0, null, g, 0, 4, out), "weights");
        t.expect("null geometry", () -> k.convInt32(x, 1, 4, 4, 0, pw, null, 0, 4, out), "geometry");
        t.expect("weights packed for another engine", () -> k.convInt32(x, 1, 4, 4, 0, foreignDepthwise(), g, 0, 4, out),
                "packed for engine");
        t.done();
    }

    public static void testQuantize(QuantizeKernels k) {
        BadArgumentsTester t = new BadArgumentsTester("QuantizeKernels");
        float[] x = new float[8];
        byte[] q = new byte[8];
        t.expect("scale 0", () -> k.quantize(x, 0, q, 0, 8, 0f, 0, DType.QUINT8), "scale");
        t.expect("scale NaN", () -> k.quantize(x, 0, q, 0, 8, Float.NaN, 0, DType.QUINT8), "scale");
        t.expect("scale +inf", () -> k.dequantize(q, 0, x, 0, 8, Float.POSITIVE_INFINITY, 0, DType.QUINT8), "scale");
        t.expect("quint8 zero point 256", () -> k.quantize(x, 0, q, 0, 8, 1f, 256, DType.QUINT8), "zero point");
        t.expect("qint8 zero point 128", () -> k.quantize(x, 0, q, 0, 8, 1f, 128, DType.QINT8), "zero point");
        t.expect("dtype qint32", () -> k.quantize(x, 0, q, 0, 8, 1f, 0, DType.QINT32), "qint32");
        t.expect("input range past the end", () -> k.quantize(x, 1, q, 0, 8, 1f, 0, DType.QUINT8), "range");
        t.expect("output range past the end", () -> k.dequantize(q, 0, x, 1, 8, 1f, 0, DType.QUINT8), "range");
        t.expect("negative length", () -> k.quantize(x, 0, q, 0, -1, 1f, 0, DType.QUINT8), "range");
        t.expect("per-channel: 2 scales for 3 channels",
                () -> k.quantizePerChannel(new float[6], new byte[6], 2, 3, 1, new float[] {1, 1}, new int[] {0, 0, 0}, DType.QUINT8),
                "scales");
        t.expect("per-channel: array too short",
                () -> k.quantizePerChannel(new float[5], new byte[6], 2, 3, 1, new float[] {1, 1, 1}, new int[] {0, 0, 0}, DType.QUINT8),
                "input", "range");
        t.expect("per-channel dequantize: scale 0",
                () -> k.dequantizePerChannel(new byte[6], new float[6], 2, 3, 1, new double[] {1, 0, 1}, new int[] {0, 0, 0}, DType.QUINT8),
                "scale");
        t.expect("requantize: qmin > qmax", () -> k.requantize(new int[8], 0, q, 0, 8, 0.5f, 0, 200, 100), "range");
        t.expect("requantize: multiplier NaN", () -> k.requantize(new int[8], 0, q, 0, 8, Float.NaN, 0, 0, 255), "multiplier");
        t.expect("requantize: output too short", () -> k.requantize(new int[8], 0, new byte[7], 0, 8, 0.5f, 0, 0, 255), "range");
        t.done();
    }

    public static void testFloatGemm(FloatGemmKernels k) {
        BadArgumentsTester t = new BadArgumentsTester("FloatGemmKernels");
        PackedFloatWeights pw = k.pack(new float[4 * 6], 4, 6);
        float[] a = new float[3 * 6];
        float[] c = new float[3 * 4];
        float inf = Float.POSITIVE_INFINITY;
        t.expect("pack weights too short", () -> k.pack(new float[23], 4, 6), "weights", "elements");
        t.expect("column range [0, 5) of 4", () -> k.gemm(a, 0, 6, 3, pw, 0, 5, null, -inf, inf, c, 0, 4), "column range");
        t.expect("A too short", () -> k.gemm(a, 1, 6, 3, pw, 0, 4, null, -inf, inf, c, 0, 4), "elements", "array");
        t.expect("C too short", () -> k.gemm(a, 0, 6, 3, pw, 0, 4, null, -inf, inf, c, 1, 4), "elements", "array");
        t.expect("bias of 3 for 4 columns", () -> k.gemm(a, 0, 6, 3, pw, 0, 4, new float[3], -inf, inf, c, 0, 4), "bias");
        t.expect("clamp min > max", () -> k.gemm(a, 0, 6, 3, pw, 0, 4, null, 1f, 0f, c, 0, 4), "clamp");
        t.expect("clamp NaN", () -> k.gemm(a, 0, 6, 3, pw, 0, 4, null, Float.NaN, inf, c, 0, 4), "clamp");
        t.expect("weights packed for another engine", () -> k.gemm(a, 0, 6, 3, foreignFloat(), 0, 4, null, -inf, inf, c, 0, 4),
                "packed for engine");
        t.done();
    }

    public static void testFloatDepthwise(FloatDepthwiseKernels k) {
        BadArgumentsTester t = new BadArgumentsTester("FloatDepthwiseKernels");
        PackedFloatDepthwiseWeights pw = k.pack(new float[2 * 9], 2, 3, 3);
        ConvGeometry g = ConvGeometry.square(3, 1, 1);
        float[] x = new float[4 * 4 * 2];
        float[] out = new float[4 * 4 * 2];
        float inf = Float.POSITIVE_INFINITY;
        t.expect("geometry kernel 1x1 for 3x3 weights", () -> k.conv(x, 1, 4, 4, pw, ConvGeometry.square(1, 1, 0), null, -inf, inf, 0, 4, out),
                "kernel");
        t.expect("row range past the end", () -> k.conv(x, 1, 4, 4, pw, g, null, -inf, inf, 0, 5, out), "row");
        t.expect("input too short", () -> k.conv(new float[31], 1, 4, 4, pw, g, null, -inf, inf, 0, 4, out), "input");
        t.expect("bias of 1 for 2 channels", () -> k.conv(x, 1, 4, 4, pw, g, new float[1], -inf, inf, 0, 4, out), "bias");
        t.expect("clamp min > max", () -> k.conv(x, 1, 4, 4, pw, g, null, 2f, 1f, 0, 4, out), "clamp");
        t.expect("clamp NaN", () -> k.conv(x, 1, 4, 4, pw, g, null, Float.NaN, inf, 0, 4, out), "clamp");
        t.expect("null input", () -> k.conv(null, 1, 4, 4, pw, g, null, -inf, inf, 0, 4, out), "input");
        t.expect("null output", () -> k.conv(x, 1, 4, 4, pw, g, null, -inf, inf, 0, 4, null), "output");
        t.expect("null weights", () -> k.conv(x, 1, 4, 4, null, g, null, -inf, inf, 0, 4, out), "weights");
        t.expect("output too short", () -> k.conv(x, 1, 4, 4, pw, g, null, -inf, inf, 0, 4, new float[31]), "output");
        t.expect("weights packed for another engine",
                () -> k.conv(x, 1, 4, 4, foreignFloatDepthwise(), g, null, -inf, inf, 0, 4, out), "packed for engine");
        t.done();
    }

    private static PackedQGemmWeights foreignQGemm() {
        return new PackedQGemmWeights() {
            public int n() { return 4; }
            public int k() { return 6; }
            public int zeroPoint(int j) { return 0; }
            public String engine() { return "some-other-engine"; }
            public VectorWidth width() { return VectorWidth.SCALAR; }
            public long byteSize() { return 24; }
        };
    }

    private static PackedDepthwiseWeights foreignDepthwise() {
        return new PackedDepthwiseWeights() {
            public int channels() { return 2; }
            public int kernelH() { return 3; }
            public int kernelW() { return 3; }
            public int zeroPoint(int c) { return 0; }
            public String engine() { return "some-other-engine"; }
            public VectorWidth width() { return VectorWidth.SCALAR; }
            public long byteSize() { return 18; }
        };
    }

    private static PackedFloatDepthwiseWeights foreignFloatDepthwise() {
        return new PackedFloatDepthwiseWeights() {
            public int channels() { return 2; }
            public int kernelH() { return 3; }
            public int kernelW() { return 3; }
            public String engine() { return "some-other-engine"; }
            public VectorWidth width() { return VectorWidth.SCALAR; }
            public long byteSize() { return 72; }
        };
    }

    private static PackedFloatWeights foreignFloat() {
        return new PackedFloatWeights() {
            public int n() { return 4; }
            public int k() { return 6; }
            public String engine() { return "some-other-engine"; }
            public VectorWidth width() { return VectorWidth.SCALAR; }
            public long byteSize() { return 96; }
        };
    }
}
