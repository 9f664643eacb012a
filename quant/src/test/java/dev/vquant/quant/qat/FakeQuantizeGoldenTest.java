package dev.vquant.quant.qat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.FloatTensor;
import dev.vquant.quant.QConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fake quantization against PyTorch 1.13, bit for bit ({@code golden/fake_quantize.json}): the
 * per-tensor and per-channel kernels' forward and straight-through gradient, and the default QAT
 * fake-quant modules of {@link QConfig#defaultQatFor} (activation and weight, fbgemm and qnnpack)
 * stepped over batches: scale, zero point and output after each one.
 */
class FakeQuantizeGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode golden() throws IOException {
        try (InputStream in = FakeQuantizeGoldenTest.class.getResourceAsStream("/golden/fake_quantize.json")) {
            assertNotNull(in, "test resource golden/fake_quantize.json");
            return JSON.readTree(in);
        }
    }

    static float[] floats(JsonNode tensor) {
        JsonNode bits = tensor.get("bits");
        float[] out = new float[bits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat(bits.get(i).asInt());
        }
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static int[] shape(JsonNode tensor) {
        return ints(tensor.get("shape"));
    }

    /** Bit-for-bit float comparison that names the first differing index. */
    static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": index " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    @TestFactory
    List<DynamicTest> cases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode c : golden().get("cases")) {
            String kind = c.get("kind").asText();
            String label = i++ + " " + kind + (kind.equals("module") ? " " + c.get("qconfig").asText() + " " + c.get("role").asText() : "");
            tests.add(DynamicTest.dynamicTest(label, () -> {
                switch (kind) {
                    case "per_tensor" -> perTensor(c);
                    case "per_channel" -> perChannel(c);
                    default -> module(c);
                }
            }));
        }
        assertEquals(9, tests.size());
        return tests;
    }

    private static void perTensor(JsonNode c) {
        float scale = (float) c.get("scale").asDouble();
        int zp = c.get("zero_point").asInt();
        int qmin = c.get("quant_min").asInt();
        int qmax = c.get("quant_max").asInt();
        float[] x = floats(c.get("x"));
        assertBits(floats(c.get("y")), FakeQuantization.perTensor(x, scale, zp, qmin, qmax), "y");
        assertBits(floats(c.get("dx")), FakeQuantization.perTensorGradient(x, floats(c.get("dy")), scale, zp, qmin, qmax), "dx");
    }

    private static void perChannel(JsonNode c) {
        float[] scales = floats(c.get("scales"));
        int[] zps = ints(c.get("zero_points"));
        int axis = c.get("axis").asInt();
        int qmin = c.get("quant_min").asInt();
        int qmax = c.get("quant_max").asInt();
        float[] x = floats(c.get("x"));
        int[] shape = shape(c.get("x"));
        assertBits(floats(c.get("y")), FakeQuantization.perChannel(x, shape, axis, scales, zps, qmin, qmax), "y");
        assertBits(floats(c.get("dx")), FakeQuantization.perChannelGradient(x, floats(c.get("dy")), shape, axis, scales, zps, qmin, qmax),
                "dx");
    }

    private static void module(JsonNode c) {
        QConfig q = QConfig.defaultQatFor(c.get("qconfig").asText());
        boolean weight = c.get("role").asText().equals("weight");
        FakeQuantize fq = assertInstanceOf(FusedMovingAvgObsFakeQuantize.class, (weight ? q.weight() : q.activation()).get());
        int step = 0;
        for (JsonNode s : c.get("steps")) {
            FloatTensor x = FloatTensor.of(floats(s.get("x")), shape(s.get("x")));
            FloatTensor y = fq.forward(x);
            assertBits(floats(s.get("y")), y.data(), "step " + step + " output");
            assertBits(floats(s.get("scale")), fq.scale(), "step " + step + " scale");
            assertArrayEquals(ints(s.get("zero_point")), fq.zeroPoint(), "step " + step + " zero point");
            step++;
        }
    }
}
