package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.linear.QLinear;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code qlinear_static}: quantized::linear / linear_relu through the ops module's {@link QLinear}
 * on one engine; the quint8 outputs must equal the ints golden/NUMERICS.md assigns to the engine
 * ({@code x86} for fbgemm and reference, {@code qnnpack_2.10} for qnnpack) exactly.
 */
final class QLinearStaticSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "qlinear_static";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = Golden.label(c, i);
            JsonNode expected = c.get("output_int_by_engine").get(staticKey(engine));
            if (expected == null || !expected.isArray()) {
                outcomes.add(Outcome.skipped(label, "PyTorch gives no " + staticKey(engine) + " output: " + expected));
                continue;
            }
            try {
                QLinear op = QLinear.builder(weight(c.get("weight"))).bias(Golden.floats(c.get("bias")))
                        .output(c.get("output_scale").asDouble(), c.get("output_zero_point").asInt())
                        .relu(c.get("relu").asBoolean()).engine(engine).build();
                QTensor y = op.forward(activation(c.get("input"), false), engine);
                String d = Golden.compareInts("output", Golden.ints(expected), ints(y));
                outcomes.add(d == null ? Outcome.passed(label) : Outcome.failed(label, d));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.failed(label, e.toString()));
            }
        }
        return outcomes;
    }

    /** The output key golden/NUMERICS.md assigns to an engine for static Linear/Conv. */
    static String staticKey(KernelBackend engine) {
        return engine.numerics().family() == EngineNumerics.Family.QNNPACK ? "qnnpack_2.10" : "x86";
    }

    /** A per-tensor quint8 tensor node; 4-D ones are moved from NCHW to NHWC when {@code nhwc}. */
    static QTensor activation(JsonNode t, boolean nhwc) {
        int[] shape = Golden.shape(t);
        byte[] data = Golden.bytes(Golden.ints(t));
        QParams q = QParams.perTensor(t.get("scale").asDouble(), t.get("zero_point").asInt(), DType.QUINT8);
        if (nhwc) {
            data = dev.vquant.ops.convert.Layout.nchwToNhwc(data, shape[0], shape[1], shape[2], shape[3]);
            shape = new int[]{shape[0], shape[2], shape[3], shape[1]};
        }
        return QTensor.of(data, shape, q);
    }

    /** A qint8 weight node, per tensor or per channel (axis 0), in PyTorch's order. */
    static QTensor weight(JsonNode t) {
        QParams q = t.has("scales")
                ? QParams.perChannel(Golden.doubles(t.get("scales")), Golden.ints(t.get("zero_points")),
                t.path("axis").asInt(0), DType.QINT8)
                : QParams.perTensor(t.get("scale").asDouble(), t.get("zero_point").asInt(), DType.QINT8);
        return QTensor.of(Golden.bytes(Golden.ints(t)), Golden.shape(t), q);
    }

    static int[] ints(QTensor t) {
        int[] v = new int[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.intAt(i);
        }
        return v;
    }
}
