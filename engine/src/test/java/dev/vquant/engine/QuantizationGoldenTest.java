package dev.vquant.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Quantization} on the current engine (the reference in this module's tests) equals
 * {@code torch.quantize_per_tensor}, {@code torch.quantize_per_channel} and {@code dequantize()}
 * bit for bit on every case of {@code golden/quantize_per_tensor.json} and
 * {@code golden/quantize_per_channel.json} (ties, +-0, saturation, non-dyadic scales, axes 0 and 1).
 */
class QuantizationGoldenTest {

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = QuantizationGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** A float32 tensor from its IEEE bit patterns when given, else from its exact decimals. */
    private static FloatTensor tensor(JsonNode t) {
        JsonNode values = t.has("bits") ? t.get("bits") : t.get("data");
        float[] data = new float[values.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = t.has("bits") ? Float.intBitsToFloat(values.get(i).asInt()) : (float) values.get(i).asDouble();
        }
        return FloatTensor.of(data, ints(t.get("shape")));
    }

    private static FloatTensor floats(JsonNode a, int[] shape) {
        float[] data = new float[a.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) a.get(i).asDouble();
        }
        return FloatTensor.of(data, shape);
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    private static void compare(String name, QParams qp, FloatTensor x, JsonNode intRepr, JsonNode dequantized, List<String> failures) {
        QTensor q = Quantization.quantize(x, qp);
        FloatTensor back = Quantization.dequantize(q);
        // a dequantized tensor object, or (in the 'random' per-tensor cases) a bare array of exact decimals
        FloatTensor expectedBack = dequantized.isArray() ? floats(dequantized, x.shape()) : tensor(dequantized);
        for (int i = 0; i < x.numel(); i++) {
            if (q.intAt(i) != intRepr.get(i).asInt()) {
                failures.add(name + " element " + i + " (x=" + x.data()[i] + "): q " + q.intAt(i) + ", PyTorch " + intRepr.get(i).asInt());
            }
            if (Float.floatToIntBits(back.data()[i]) != Float.floatToIntBits(expectedBack.data()[i])) {
                failures.add(name + " element " + i + ": dequantized " + back.data()[i] + ", PyTorch " + expectedBack.data()[i]);
            }
        }
    }

    @Test
    void perTensorCasesMatchPyTorch() throws IOException {
        List<String> failures = new ArrayList<>();
        int outputs = 0;
        for (JsonNode c : load("quantize_per_tensor.json").get("cases")) {
            FloatTensor x = tensor(c.get("input"));
            double scale = c.get("scale").asDouble();
            if (c.get("kind").asText().equals("ties")) {
                DType dtype = DType.parse(c.get("dtype").asText());
                compare("ties scale " + scale + " zp " + c.get("zero_point").asInt() + " " + dtype,
                        QParams.perTensor(scale, c.get("zero_point").asInt(), dtype), x, c.get("output").get("int_repr"),
                        c.get("dequantized"), failures);
                outputs++;
            } else {
                for (JsonNode o : c.get("outputs")) {
                    DType dtype = DType.parse(o.get("dtype").asText());
                    compare("random scale " + scale + " zp " + o.get("zero_point").asInt() + " " + dtype,
                            QParams.perTensor(scale, o.get("zero_point").asInt(), dtype), x, o.get("int_repr"), o.get("dequantized"),
                            failures);
                    outputs++;
                }
            }
        }
        assertEquals(44, outputs, "golden outputs compared (4220 elements)");
        assertEquals(List.of(), failures);
    }

    @Test
    void perChannelCasesMatchPyTorch() throws IOException {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (JsonNode c : load("quantize_per_channel.json").get("cases")) {
            JsonNode scalesNode = c.get("scales");
            double[] scales = new double[scalesNode.size()];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = scalesNode.get(i).asDouble();
            }
            DType dtype = DType.parse(c.get("dtype").asText());
            int axis = c.get("axis").asInt();
            QParams qp = QParams.perChannel(scales, ints(c.get("zero_points")), axis, dtype);
            compare("per-channel axis " + axis + " " + dtype + " " + c.get("input").get("shape"), qp, tensor(c.get("input")),
                    c.get("output").get("int_repr"), c.get("dequantized"), failures);
            cases++;
        }
        assertEquals(8, cases);
        assertEquals(List.of(), failures);
    }
}
