package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.Quantization;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.rnn.Lstm;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.observer.Observer;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code qlstm_dynamic}: {@code quantize_dynamic} of a float {@code nn.LSTM}, then its forward
 * with zero initial states, through the ops module's {@link Lstm#dynamicQuantized}. The weights
 * are quantized here from the float state_dict as PyTorch's {@code quantize_dynamic} does: the
 * qconfig's weight observer ({@link QConfig#defaultDynamic()}: MinMaxObserver,
 * {@link QConfig#perChannelDynamic()}: PerChannelMinMaxObserver along axis 0; qint8 symmetric)
 * fed the float weight, then {@link Quantization#quantize} with its qparams. The projections quantize activations with reduce_range (PyTorch's
 * dynamic LSTM passes true; qnnpack ignores it). output, h_n and c_n must be within
 * {@value #TOLERANCE} of the engine's assigned PyTorch result (golden/NUMERICS.md:
 * {@code onednn} for fbgemm and reference, {@code qnnpack} for qnnpack): PyTorch's sigmoid and
 * tanh are Sleef approximations vquant does not reproduce bit for bit. A passing case notes
 * whether it was bit-exact.
 */
final class QLstmDynamicSuite implements CaseSuite {
    /** Absolute tolerance golden/NUMERICS.md allows on the LSTM's float outputs. */
    static final double TOLERANCE = 1e-6;

    @Override
    public String fileKind() {
        return "qlstm_dynamic";
    }

    /** The PyTorch engine whose results {@code engine} must match. */
    static String expectedKey(KernelBackend engine) {
        return engine.numerics().family() == EngineNumerics.Family.QNNPACK ? "qnnpack" : "onednn";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.get("cases");
        String key = expectedKey(engine);
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = Golden.label(c, i);
            JsonNode expected = c.path("by_engine").get(key);
            if (expected == null || !expected.isObject()) {
                outcomes.add(Outcome.skipped(label, "PyTorch gives no " + key + " output: " + expected));
                continue;
            }
            try {
                Lstm.Result r = build(c, engine).forward(FloatTensor.of(Golden.floats(c.get("x")), Golden.shape(c.get("x"))),
                        null, null, engine);
                List<String> problems = new ArrayList<>();
                int[] stats = new int[2];
                double[] worst = new double[1];
                compare("output", expected.get("output"), r.output(), problems, stats, worst);
                compare("h_n", expected.get("h_n"), r.h(), problems, stats, worst);
                compare("c_n", expected.get("c_n"), r.c(), problems, stats, worst);
                outcomes.add(!problems.isEmpty() ? Outcome.failed(label, String.join("; ", problems))
                        : Outcome.passed(label, stats[0] == 0 ? "bit-exact"
                        : "within " + TOLERANCE + ", not bit-exact (" + stats[0] + " of " + stats[1] + " floats differ, max |diff| "
                        + (float) worst[0] + ")"));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.failed(label, e.toString()));
            }
        }
        return outcomes;
    }

    private static Lstm build(JsonNode c, KernelBackend engine) {
        int layers = c.get("num_layers").asInt();
        QConfig qconfig = switch (c.get("qconfig").asText()) {
            case "per_tensor" -> QConfig.defaultDynamic();
            case "per_channel" -> QConfig.perChannelDynamic();
            default -> throw new IllegalArgumentException("unknown qconfig '" + c.get("qconfig").asText() + "'");
        };
        JsonNode sd = c.get("state_dict");
        List<QTensor> wIh = new ArrayList<>();
        List<QTensor> wHh = new ArrayList<>();
        List<float[]> bIh = new ArrayList<>();
        List<float[]> bHh = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            wIh.add(quantizeWeight(sd.get("weight_ih_l" + l), qconfig));
            wHh.add(quantizeWeight(sd.get("weight_hh_l" + l), qconfig));
            bIh.add(sd.has("bias_ih_l" + l) ? Golden.floats(sd.get("bias_ih_l" + l)) : null);
            bHh.add(sd.has("bias_hh_l" + l) ? Golden.floats(sd.get("bias_hh_l" + l)) : null);
        }
        return Lstm.dynamicQuantized(wIh, wHh).bias(bIh, bHh).batchFirst(c.get("batch_first").asBoolean()).engine(engine).build();
    }

    /** The qconfig's weight observer fed the float weight, then quantize with its qparams. */
    static QTensor quantizeWeight(JsonNode t, QConfig qconfig) {
        FloatTensor w = FloatTensor.of(Golden.floats(t), Golden.shape(t));
        Observer observer = qconfig.weight().get();
        observer.forward(w);
        return Quantization.quantize(w, observer.calculateQParams());
    }

    /**
     * Adds a problem when any element is off by more than the tolerance; counts differing bits
     * into {@code stats[0]}, elements into {@code stats[1]}, and keeps the largest difference.
     */
    private static void compare(String what, JsonNode expected, FloatTensor actual, List<String> problems, int[] stats,
                                double[] worstSoFar) {
        float[] want = Golden.floats(expected);
        int[] shape = Golden.shape(expected);
        if (!java.util.Arrays.equals(shape, actual.shape())) {
            problems.add(what + ": shape " + java.util.Arrays.toString(actual.shape()) + ", expected " + java.util.Arrays.toString(shape));
            return;
        }
        float[] got = actual.data();
        double worst = 0;
        int worstAt = -1;
        for (int j = 0; j < want.length; j++) {
            if (Float.floatToRawIntBits(want[j]) != Float.floatToRawIntBits(got[j])) {
                stats[0]++;
            }
            double d = Math.abs((double) want[j] - got[j]);
            if (!(d <= worst)) {
                worst = d;
                worstAt = j;
            }
        }
        stats[1] += want.length;
        worstSoFar[0] = Math.max(worstSoFar[0], worst);
        if (worstAt >= 0 && !(worst <= TOLERANCE)) {
            problems.add(what + ": element " + worstAt + " is " + got[worstAt] + ", expected " + want[worstAt] + " (|diff| " + worst
                    + " > " + TOLERANCE + ")");
        }
    }
}
