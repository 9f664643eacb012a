package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.linear.DynamicQLinear;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code qlinear_dynamic}: quantized::linear_dynamic through the ops module's
 * {@link DynamicQLinear}; the float32 outputs must equal, bit for bit, the bits golden/NUMERICS.md
 * assigns to the engine ({@code fbgemm} for fbgemm and reference, {@code qnnpack_2.10} for qnnpack).
 */
final class QLinearDynamicSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "qlinear_dynamic";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.get("cases");
        String key = engine.numerics().family() == EngineNumerics.Family.QNNPACK ? "qnnpack_2.10" : "fbgemm";
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = Golden.label(c, i);
            JsonNode bits = c.get("output_bits_by_engine").get(key);
            if (bits == null || !bits.isArray()) {
                outcomes.add(Outcome.skipped(label, "PyTorch gives no " + key + " output: " + bits));
                continue;
            }
            try {
                DynamicQLinear op = DynamicQLinear.builder(QLinearStaticSuite.weight(c.get("weight")))
                        .bias(Golden.floats(c.get("bias"))).reduceRange(c.get("reduce_range").asBoolean())
                        .engine(engine).build();
                JsonNode in = c.get("input");
                FloatTensor y = op.forward(FloatTensor.of(Golden.floats(in), Golden.shape(in)), engine);
                int[] wantBits = Golden.ints(bits);
                float[] want = new float[wantBits.length];
                for (int j = 0; j < want.length; j++) {
                    want[j] = Float.intBitsToFloat(wantBits[j]);
                }
                String d = Golden.compareFloatBits("output", want, y.data());
                outcomes.add(d == null ? Outcome.passed(label) : Outcome.failed(label, d));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.failed(label, e.toString()));
            }
        }
        return outcomes;
    }
}
