package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.quant.observer.HistogramObserver;
import dev.vquant.quant.observer.MinMaxObserver;
import dev.vquant.quant.observer.MovingAverageMinMaxObserver;
import dev.vquant.quant.observer.Observer;
import dev.vquant.quant.observer.PerChannelMinMaxObserver;
import dev.vquant.engine.QScheme;
import dev.vquant.quant.observer.UniformQuantizationObserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code observers}: the quant module's observers ({@code dev.vquant.quant.observer}), built from
 * each case's observer name and arguments, fed the listed input batches in order; their recorded
 * range ({@code min_val}/{@code max_val}) and {@code calculateQParams()} (scale bits, zero points)
 * must equal PyTorch's exactly. One PyTorch answer for every engine: observers do not use kernels.
 */
final class ObserversSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "observers";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = c.get("observer").asText() + " " + c.get("input_set").asText() + " " + c.get("config").asText()
                    + " reduce_range=" + c.get("reduce_range").asBoolean();
            try {
                outcomes.add(check(root, c, label));
            } catch (IllegalArgumentException | IllegalStateException e) {
                outcomes.add(Outcome.failed(label, e.toString()));
            }
        }
        return outcomes;
    }

    private static Outcome check(JsonNode root, JsonNode c, String label) {
        Observer observer = build(c);
        for (JsonNode batch : root.get("inputs").get(c.get("input_set").asText())) {
            observer.forward(FloatTensor.of(Golden.floats(batch), Golden.shape(batch)));
        }
        QParams qp = observer.calculateQParams();
        float[][] range = range(observer);
        List<String> problems = new ArrayList<>();
        compareFloats("min_val", Golden.floatArray(c.get("min_val")), range[0], problems);
        compareFloats("max_val", Golden.floatArray(c.get("max_val")), range[1], problems);
        int[] scaleBits = Golden.ints(c.get("scale_bits"));
        int[] zps = Golden.ints(c.get("zero_point"));
        if (scaleBits.length != qp.count()) {
            problems.add(qp.count() + " channels, PyTorch has " + scaleBits.length);
        } else {
            for (int ch = 0; ch < qp.count(); ch++) {
                int got = Float.floatToIntBits((float) qp.scale(ch));
                if (got != scaleBits[ch]) {
                    problems.add("channel " + ch + " scale " + (float) qp.scale(ch) + ", PyTorch " + Float.intBitsToFloat(scaleBits[ch]));
                }
                if (qp.zeroPoint(ch) != zps[ch]) {
                    problems.add("channel " + ch + " zero point " + qp.zeroPoint(ch) + ", PyTorch " + zps[ch]);
                }
            }
        }
        return problems.isEmpty() ? Outcome.passed(label) : Outcome.failed(label, String.join("; ", problems));
    }

    /** The observer a case names, e.g. {@code PerChannelMinMaxObserver(ch_axis=0)}, with its config. */
    private static Observer build(JsonNode c) {
        String spec = c.get("observer").asText();
        int paren = spec.indexOf('(');
        String name = paren < 0 ? spec : spec.substring(0, paren);
        Map<String, String> args = arguments(spec, paren);
        return switch (name) {
            case "MinMaxObserver" -> configure(MinMaxObserver.builder(), c).build();
            case "MovingAverageMinMaxObserver" -> configure(MovingAverageMinMaxObserver.builder(), c)
                    .averagingConstant(Double.parseDouble(args.getOrDefault("averaging_constant", "0.01"))).build();
            case "PerChannelMinMaxObserver" -> configure(PerChannelMinMaxObserver.builder(), c)
                    .chAxis(Integer.parseInt(args.getOrDefault("ch_axis", "0"))).build();
            case "HistogramObserver" -> configure(HistogramObserver.builder(), c)
                    .bins(Integer.parseInt(args.getOrDefault("bins", "2048"))).build();
            default -> throw new IllegalArgumentException("unknown observer '" + spec + "'");
        };
    }

    /** {@code key=value} pairs between the parentheses of an observer spec. */
    private static Map<String, String> arguments(String spec, int paren) {
        Map<String, String> args = new LinkedHashMap<>();
        if (paren >= 0 && spec.endsWith(")")) {
            for (String kv : spec.substring(paren + 1, spec.length() - 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    args.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                }
            }
        }
        return args;
    }

    private static <B extends UniformQuantizationObserver.Builder<B, ?>> B configure(B builder, JsonNode c) {
        return builder.dtype(DType.parse(c.get("dtype").asText()))
                .qscheme(QScheme.parse(c.get("qscheme").asText()))
                .reduceRange(c.get("reduce_range").asBoolean());
    }

    /** {min_val[], max_val[]} as the observer holds them (one entry per tensor or per channel). */
    private static float[][] range(Observer o) {
        return switch (o) {
            case MinMaxObserver m -> new float[][] {{m.minVal()}, {m.maxVal()}};
            case MovingAverageMinMaxObserver m -> new float[][] {{m.minVal()}, {m.maxVal()}};
            case PerChannelMinMaxObserver m -> new float[][] {m.minVal(), m.maxVal()};
            case HistogramObserver m -> new float[][] {{m.minVal()}, {m.maxVal()}};
            default -> throw new IllegalArgumentException("no recorded range for " + o);
        };
    }

    private static void compareFloats(String what, float[] expected, float[] actual, List<String> problems) {
        String d = Golden.compareFloatBits(what, expected, actual);
        if (d != null) {
            problems.add(d);
        }
    }
}
