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
 * {@link QParamsCalculator} equals PyTorch's {@code calculate_qparams} bit for bit on every
 * MinMaxObserver and PerChannelMinMaxObserver case of {@code golden/observers.json} (PyTorch
 * 1.13; the observed min/max of each case are in the file). The scale is compared by its float32
 * bits, the zero points exactly.
 */
class QParamsCalculatorGoldenTest {

    @Test
    void everyMinMaxObserverCaseMatchesPyTorch() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/golden/observers.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<String> failures = new ArrayList<>();
        int perTensor = 0;
        int perChannel = 0;
        for (JsonNode c : root.get("cases")) {
            String observer = c.get("observer").asText();
            boolean channelwise = observer.startsWith("PerChannelMinMaxObserver");
            if (!observer.equals("MinMaxObserver") && !channelwise) {
                continue; // moving-average and histogram observers live in the quant module
            }
            String qscheme = c.get("qscheme").asText();
            QParamsCalculator calc = QParamsCalculator.of(DType.parse(c.get("dtype").asText()),
                    qscheme.endsWith("symmetric") ? QParamsCalculator.Scheme.SYMMETRIC : QParamsCalculator.Scheme.AFFINE,
                    c.get("reduce_range").asBoolean());
            float[] mins = floats(c.get("min_val"));
            float[] maxs = floats(c.get("max_val"));
            QParams qp;
            if (channelwise) {
                qp = calc.perChannel(mins, maxs, 0);
                perChannel++;
            } else {
                assertEquals(1, mins.length, "per-tensor case with several minima");
                qp = calc.perTensor(mins[0], maxs[0]);
                perTensor++;
            }
            String name = observer + " " + c.get("input_set").asText() + " " + c.get("config").asText()
                    + " reduce_range=" + c.get("reduce_range").asBoolean();
            JsonNode bits = c.get("scale_bits");
            JsonNode zps = c.get("zero_point");
            if (qp.count() != bits.size()) {
                failures.add(name + ": " + qp.count() + " channels, PyTorch has " + bits.size());
                continue;
            }
            for (int ch = 0; ch < qp.count(); ch++) {
                int got = Float.floatToIntBits((float) qp.scale(ch));
                if (got != bits.get(ch).asInt() || (double) (float) qp.scale(ch) != qp.scale(ch)) {
                    failures.add(name + " channel " + ch + ": scale " + qp.scale(ch) + " (bits " + got + "), PyTorch "
                            + Float.intBitsToFloat(bits.get(ch).asInt()) + " (bits " + bits.get(ch).asInt() + ")");
                }
                if (qp.zeroPoint(ch) != zps.get(ch).asInt()) {
                    failures.add(name + " channel " + ch + ": zero point " + qp.zeroPoint(ch) + ", PyTorch " + zps.get(ch).asInt());
                }
            }
        }
        assertEquals(16, perTensor, "MinMaxObserver cases in the golden file");
        assertEquals(16, perChannel, "PerChannelMinMaxObserver cases in the golden file");
        assertEquals(List.of(), failures);
    }

    /** The file's floats are exact decimals of float32 values. */
    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) {
            double d = array.get(i).asDouble();
            f[i] = (float) d;
            assertEquals(d, f[i], 0.0, "not a float32 value: " + d);
        }
        return f;
    }
}
