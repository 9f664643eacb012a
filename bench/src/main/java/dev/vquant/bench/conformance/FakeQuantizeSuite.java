package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.qat.FakeQuantization;
import dev.vquant.quant.qat.FakeQuantize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code fake_quantize}: the quant module's fake quantization ({@code dev.vquant.quant.qat}). The
 * per-tensor and per-channel kernel cases compare the forward {@code y} and the straight-through
 * gradient {@code dx} bit for bit; the module cases step the fake-quant that
 * {@code QConfig.defaultQatFor(qconfig)} makes for the role (activation or weight) over the
 * batches and compare scale bits, zero points and output bits after each one. One PyTorch answer
 * for every engine: fake quantization runs in float without kernels.
 */
final class FakeQuantizeSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "fake_quantize";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        return CaseSuite.eachCase(root, (c, i) -> {
            String kind = c.get("kind").asText();
            String label = Golden.label(c, i) + (kind.equals("module") ? " " + c.get("qconfig").asText() + " " + c.get("role").asText() : "");
            List<String> problems = switch (kind) {
                case "per_tensor" -> perTensor(c);
                case "per_channel" -> perChannel(c);
                case "module" -> module(c);
                default -> List.of("unknown case kind '" + kind + "'");
            };
            return problems.isEmpty() ? Outcome.passed(label) : Outcome.failed(label, String.join("; ", problems));
        });
    }

    private static List<String> perTensor(JsonNode c) {
        float scale = (float) c.get("scale").asDouble();
        int zp = c.get("zero_point").asInt();
        int qmin = c.get("quant_min").asInt();
        int qmax = c.get("quant_max").asInt();
        float[] x = Golden.floats(c.get("x"));
        List<String> problems = new ArrayList<>();
        compare("y", c.get("y"), FakeQuantization.perTensor(x, scale, zp, qmin, qmax), problems);
        compare("dx", c.get("dx"), FakeQuantization.perTensorGradient(x, Golden.floats(c.get("dy")), scale, zp, qmin, qmax), problems);
        return problems;
    }

    private static List<String> perChannel(JsonNode c) {
        float[] scales = Golden.floats(c.get("scales"));
        int[] zps = Golden.ints(c.get("zero_points"));
        int axis = c.get("axis").asInt();
        int qmin = c.get("quant_min").asInt();
        int qmax = c.get("quant_max").asInt();
        float[] x = Golden.floats(c.get("x"));
        int[] shape = Golden.shape(c.get("x"));
        List<String> problems = new ArrayList<>();
        compare("y", c.get("y"), FakeQuantization.perChannel(x, shape, axis, scales, zps, qmin, qmax), problems);
        compare("dx", c.get("dx"), FakeQuantization.perChannelGradient(x, Golden.floats(c.get("dy")), shape, axis, scales, zps, qmin, qmax),
                problems);
        return problems;
    }

    private static List<String> module(JsonNode c) {
        QConfig q = QConfig.defaultQatFor(c.get("qconfig").asText());
        boolean weight = c.get("role").asText().equals("weight");
        if (!((weight ? q.weight() : q.activation()).get() instanceof FakeQuantize fq)) {
            return List.of("the default QAT qconfig does not make a FakeQuantize");
        }
        List<String> problems = new ArrayList<>();
        int step = 0;
        for (JsonNode s : c.get("steps")) {
            float[] y = fq.forward(FloatTensor.of(Golden.floats(s.get("x")), Golden.shape(s.get("x")))).data();
            compare("step " + step + " output", s.get("y"), y, problems);
            compare("step " + step + " scale", s.get("scale"), fq.scale(), problems);
            if (!Arrays.equals(Golden.ints(s.get("zero_point")), fq.zeroPoint())) {
                problems.add("step " + step + " zero point " + Arrays.toString(fq.zeroPoint()) + ", PyTorch " + s.get("zero_point"));
            }
            step++;
        }
        return problems;
    }

    private static void compare(String what, JsonNode expected, float[] actual, List<String> problems) {
        String d = Golden.compareFloatBits(what, Golden.floats(expected), actual);
        if (d != null) {
            problems.add(d);
        }
    }
}
