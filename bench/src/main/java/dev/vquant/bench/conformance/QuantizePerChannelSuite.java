package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.DType;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QuantizeKernels;

import java.util.ArrayList;
import java.util.List;

/** {@code quantize_per_channel}: torch.quantize_per_channel (any axis) and dequantize(), exact. */
final class QuantizePerChannelSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "quantize_per_channel";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.get("cases");
        QuantizeKernels k = engine.quantize();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = Golden.label(c, i) + " axis " + c.get("axis").asInt() + " " + c.get("dtype").asText();
            float[] x = Golden.floats(c.get("input"));
            int[] shape = Golden.shape(c.get("input"));
            int axis = c.get("axis").asInt();
            DType dtype = DType.parse(c.get("dtype").asText());
            double[] scalesD = Golden.doubles(c.get("scales"));
            float[] scales = new float[scalesD.length];
            for (int j = 0; j < scales.length; j++) {
                scales[j] = (float) scalesD[j];
            }
            int[] zps = Golden.ints(c.get("zero_points"));
            int outer = 1;
            int inner = 1;
            for (int d = 0; d < axis; d++) {
                outer *= shape[d];
            }
            for (int d = axis + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            int channels = shape[axis];

            List<String> problems = new ArrayList<>();
            byte[] q = new byte[x.length];
            k.quantizePerChannel(x, q, outer, channels, inner, scales, zps, dtype);
            int[] got = new int[x.length];
            for (int j = 0; j < got.length; j++) {
                got[j] = dtype.load(q, j);
            }
            int[] expected = Golden.ints(c.get("output"));
            String d = Golden.compareInts("int_repr", expected, got);
            if (d != null) {
                problems.add(d);
            }
            float[] back = new float[x.length];
            k.dequantizePerChannel(Golden.bytes(expected), back, outer, channels, inner, scalesD, zps, dtype);
            d = Golden.compareFloatBits("dequantized", Golden.floats(c.get("dequantized")), back);
            if (d != null) {
                problems.add(d);
            }
            outcomes.add(problems.isEmpty() ? Outcome.passed(label) : Outcome.failed(label, String.join("; ", problems)));
        }
        return outcomes;
    }
}
