package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.DType;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QuantizeKernels;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code quantize_per_tensor}: torch.quantize_per_tensor and dequantize(); the stored ints must
 * be exact and the dequantized floats bit-exact, on every engine.
 */
final class QuantizePerTensorSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "quantize_per_tensor";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = Golden.label(c, i);
            float[] x = Golden.floats(c.get("input"));
            float scale = (float) c.get("scale").asDouble();
            List<String> problems = new ArrayList<>();
            if (c.has("outputs")) {
                for (JsonNode o : c.get("outputs")) {
                    check(engine.quantize(), x, scale, o.get("zero_point").asInt(), DType.parse(o.get("dtype").asText()),
                            Golden.ints(o.get("int_repr")), Golden.floats(o.get("dequantized")), problems);
                }
            } else {
                check(engine.quantize(), x, scale, c.get("zero_point").asInt(), DType.parse(c.get("dtype").asText()),
                        Golden.ints(c.get("output")), Golden.floats(c.get("dequantized")), problems);
            }
            outcomes.add(problems.isEmpty() ? Outcome.passed(label) : Outcome.failed(label, String.join("; ", problems)));
        }
        return outcomes;
    }

    private static void check(QuantizeKernels k, float[] x, float scale, int zp, DType dtype, int[] expectedInts,
                              float[] expectedDequant, List<String> problems) {
        byte[] q = new byte[x.length];
        k.quantize(x, 0, q, 0, x.length, scale, zp, dtype);
        int[] got = new int[x.length];
        for (int i = 0; i < got.length; i++) {
            got[i] = dtype.load(q, i);
        }
        String d = Golden.compareInts(dtype + " zp " + zp + " int_repr", expectedInts, got);
        if (d != null) {
            problems.add(d);
        }
        // dequantize what PyTorch stored, so a quantize mismatch does not hide a dequantize one
        byte[] stored = Golden.bytes(expectedInts);
        float[] back = new float[x.length];
        k.dequantize(stored, 0, back, 0, x.length, scale, zp, dtype);
        d = Golden.compareFloatBits(dtype + " zp " + zp + " dequantized", expectedDequant, back);
        if (d != null) {
            problems.add(d);
        }
    }
}
