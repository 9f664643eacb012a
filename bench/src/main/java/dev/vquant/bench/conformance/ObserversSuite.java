package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QParamsCalculator;
import dev.vquant.engine.spi.KernelBackend;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code observers}: the observed range of the listed input batches, fed in order, then
 * PyTorch's {@code calculate_qparams} ({@link QParamsCalculator}); scale bits and zero points must
 * be exact (one PyTorch answer for every engine). MinMax, MovingAverageMinMax and
 * PerChannelMinMax (ch_axis 0 of the [channels, n] batches) run; HistogramObserver is skipped
 * until the quant module has it.
 */
final class ObserversSuite implements CaseSuite {
    /** MovingAverageMinMaxObserver's default averaging constant, as PyTorch multiplies it: float32. */
    private static final float AVERAGING_CONSTANT = 0.01f;

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
            String observer = c.get("observer").asText();
            String label = observer + " " + c.get("input_set").asText() + " " + c.get("config").asText() + " reduce_range="
                    + c.get("reduce_range").asBoolean();
            boolean perChannel = observer.startsWith("PerChannelMinMaxObserver");
            boolean movingAverage = observer.startsWith("MovingAverageMinMaxObserver");
            if (!perChannel && !movingAverage && !observer.equals("MinMaxObserver")) {
                outcomes.add(Outcome.skipped(label, observer + " is not built yet: the quant module (eager-mode layer)"));
                continue;
            }
            JsonNode batches = root.get("inputs").get(c.get("input_set").asText());
            float[][] range = observe(batches, perChannel, movingAverage);
            String qscheme = c.get("qscheme").asText();
            QParamsCalculator calc = QParamsCalculator.of(DType.parse(c.get("dtype").asText()),
                    qscheme.endsWith("symmetric") ? QParamsCalculator.Scheme.SYMMETRIC : QParamsCalculator.Scheme.AFFINE,
                    c.get("reduce_range").asBoolean());
            QParams qp = perChannel ? calc.perChannel(range[0], range[1], 0) : calc.perTensor(range[0][0], range[1][0]);
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
                        problems.add("channel " + ch + " scale " + (float) qp.scale(ch) + ", PyTorch "
                                + Float.intBitsToFloat(scaleBits[ch]));
                    }
                    if (qp.zeroPoint(ch) != zps[ch]) {
                        problems.add("channel " + ch + " zero point " + qp.zeroPoint(ch) + ", PyTorch " + zps[ch]);
                    }
                }
            }
            outcomes.add(problems.isEmpty() ? Outcome.passed(label) : Outcome.failed(label, String.join("; ", problems)));
        }
        return outcomes;
    }

    /**
     * {min[], max[]} after feeding every batch in order: one entry per tensor, or one per row of
     * the [channels, n] batches. MinMax keeps the extremes; MovingAverage takes the first batch's
     * range, then moves by {@code c * (batch - running)} in float32, as PyTorch does.
     */
    private static float[][] observe(JsonNode batches, boolean perChannel, boolean movingAverage) {
        float[] min = null;
        float[] max = null;
        for (JsonNode batch : batches) {
            float[] x = Golden.floats(batch);
            int[] shape = Golden.shape(batch);
            float[][] range = rowRanges(x, perChannel ? shape[0] : 1);
            float[] bMin = range[0];
            float[] bMax = range[1];
            int groups = bMin.length;
            if (min == null) {
                min = bMin;
                max = bMax;
                continue;
            }
            for (int g = 0; g < groups; g++) {
                if (movingAverage) {
                    min[g] = min[g] + AVERAGING_CONSTANT * (bMin[g] - min[g]);
                    max[g] = max[g] + AVERAGING_CONSTANT * (bMax[g] - max[g]);
                } else {
                    min[g] = Math.min(min[g], bMin[g]);
                    max[g] = Math.max(max[g], bMax[g]);
                }
            }
        }
        return new float[][] {min, max};
    }

    /** {min[], max[]} of each of the {@code rows} equal row-major parts of {@code x} (a MinMax observer's view). */
    static float[][] rowRanges(float[] x, int rows) {
        int per = x.length / rows;
        float[] min = new float[rows];
        float[] max = new float[rows];
        for (int g = 0; g < rows; g++) {
            min[g] = Float.POSITIVE_INFINITY;
            max[g] = Float.NEGATIVE_INFINITY;
            for (int i = g * per; i < (g + 1) * per; i++) {
                min[g] = Math.min(min[g], x[i]);
                max[g] = Math.max(max[g], x[i]);
            }
        }
        return new float[][] {min, max};
    }

    private static void compareFloats(String what, float[] expected, float[] actual, List<String> problems) {
        String d = Golden.compareFloatBits(what, expected, actual);
        if (d != null) {
            problems.add(d);
        }
    }
}
