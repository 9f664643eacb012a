package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.convert.Layout;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code qconv2d_static}: quantized::conv2d (dense and depthwise) through the ops module's
 * {@link QConv2d} in NHWC; the golden NCHW tensors are transposed on the way in and the expected
 * output on the way back. Ints must equal the engine's assigned PyTorch output exactly.
 */
final class QConv2dStaticSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "qconv2d_static";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = Golden.label(c, i);
            String key = QLinearStaticSuite.staticKey(engine);
            JsonNode expected = c.get("output_int_by_engine").get(key);
            if (expected == null || !expected.isArray()) {
                outcomes.add(Outcome.skipped(label, "PyTorch gives no " + key + " output: " + expected));
                continue;
            }
            try {
                QTensor w = QLinearStaticSuite.weight(c.get("weight"));
                int[] k = w.shape();
                int[] s = Golden.ints(c.get("stride"));
                int[] p = Golden.ints(c.get("padding"));
                int[] d = Golden.ints(c.get("dilation"));
                ConvGeometry g = new ConvGeometry(k[2], k[3], s[0], s[1], p[0], p[1], d[0], d[1]);
                QConv2d op = QConv2d.builder(w, g).groups(c.get("groups").asInt()).bias(Golden.floats(c.get("bias")))
                        .output(c.get("output_scale").asDouble(), c.get("output_zero_point").asInt())
                        .relu(c.path("relu").asBoolean(false)).engine(engine).build();
                QTensor y = op.forward(QLinearStaticSuite.activation(c.get("input"), true), engine);
                int[] os = Golden.ints(c.get("output_shape"));
                byte[] want = Layout.nchwToNhwc(Golden.bytes(Golden.ints(expected)), os[0], os[1], os[2], os[3]);
                int[] wantInts = new int[want.length];
                for (int j = 0; j < want.length; j++) {
                    wantInts[j] = want[j] & 0xFF;
                }
                String diff = Golden.compareInts("output (NHWC order)", wantInts, QLinearStaticSuite.ints(y));
                outcomes.add(diff == null ? Outcome.passed(label) : Outcome.failed(label, diff));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.failed(label, e.toString()));
            }
        }
        return outcomes;
    }
}
