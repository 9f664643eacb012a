package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The observers against PyTorch 1.13, bit for bit: {@code golden/observers.json} (the project's
 * 64 cases: MinMax, MovingAverageMinMax, PerChannelMinMax, Histogram) and
 * {@code golden/histogram_observer_cases.json} (HistogramObserver on growing, shrinking, constant,
 * large and unit-interval data, other bins and upsample rates, written by
 * {@code tools/golden/histogram_observer_cases.py}; the batches come from a seeded generator both
 * sides compute).
 */
class ObserverGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = ObserverGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            assertNotNull(in, "test resource golden/" + name);
            return JSON.readTree(in);
        }
    }

    @TestFactory
    List<DynamicTest> observersJson() throws IOException {
        JsonNode root = resource("observers.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            String label = c.get("observer").asText() + " " + c.get("input_set").asText() + " " + c.get("config").asText()
                    + " reduce_range=" + c.get("reduce_range").asBoolean();
            tests.add(DynamicTest.dynamicTest(label, () -> checkProjectCase(root, c)));
        }
        assertEquals(64, tests.size());
        return tests;
    }

    private static void checkProjectCase(JsonNode root, JsonNode c) {
        DType dtype = DType.parse(c.get("dtype").asText());
        QScheme qscheme = QScheme.parse(c.get("qscheme").asText());
        boolean reduce = c.get("reduce_range").asBoolean();
        String kind = c.get("observer").asText();
        Observer observer;
        if (kind.startsWith("MinMaxObserver")) {
            observer = MinMaxObserver.builder().dtype(dtype).qscheme(qscheme).reduceRange(reduce).build();
        } else if (kind.startsWith("MovingAverageMinMaxObserver")) {
            observer = MovingAverageMinMaxObserver.builder().dtype(dtype).qscheme(qscheme).reduceRange(reduce).build();
        } else if (kind.startsWith("PerChannelMinMaxObserver")) {
            observer = PerChannelMinMaxObserver.builder().dtype(dtype).qscheme(qscheme).reduceRange(reduce).build();
        } else {
            observer = HistogramObserver.builder().dtype(dtype).qscheme(qscheme).reduceRange(reduce).build();
        }
        for (JsonNode batch : root.get("inputs").get(c.get("input_set").asText())) {
            JsonNode bits = batch.get("bits");
            float[] data = new float[bits.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = Float.intBitsToFloat(bits.get(i).asInt());
            }
            FloatTensor x = FloatTensor.of(data, batch.get("shape").get(0).asInt(), batch.get("shape").get(1).asInt());
            assertSame(x, observer.forward(x), "forward returns its input");
        }
        float[] min;
        float[] max;
        if (observer instanceof PerChannelMinMaxObserver p) {
            min = p.minVal();
            max = p.maxVal();
        } else if (observer instanceof HistogramObserver h) {
            min = new float[] {h.minVal()};
            max = new float[] {h.maxVal()};
        } else {
            TensorRangeObserver t = (TensorRangeObserver) observer;
            min = new float[] {t.minVal()};
            max = new float[] {t.maxVal()};
        }
        assertArrayEquals(floats(c.get("min_val")), min, "min_val");
        assertArrayEquals(floats(c.get("max_val")), max, "max_val");
        QParams qp = observer.calculateQParams();
        JsonNode scaleBits = c.get("scale_bits");
        assertEquals(scaleBits.size(), qp.count(), "channels");
        for (int ch = 0; ch < qp.count(); ch++) {
            assertEquals(scaleBits.get(ch).asInt(), Float.floatToIntBits((float) qp.scale(ch)), "scale bits of channel " + ch);
            assertEquals(c.get("zero_point").get(ch).asInt(), qp.zeroPoint(ch), "zero point of channel " + ch);
        }
        assertEquals(dtype, qp.dtype());
        assertEquals(qscheme.isPerChannel(), qp.isPerChannel());
    }

    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) array.get(i).asDouble();
        }
        return f;
    }

    @TestFactory
    List<DynamicTest> histogramCases() throws IOException {
        JsonNode root = resource("histogram_observer_cases.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " " + c.get("config").asText(), () -> checkHistogramCase(c)));
        }
        return tests;
    }

    private static void checkHistogramCase(JsonNode c) {
        String config = c.get("config").asText();
        HistogramObserver h = HistogramObserver.builder()
                .dtype(config.startsWith("quint8") ? DType.QUINT8 : DType.QINT8)
                .qscheme(config.endsWith("symmetric") ? QScheme.PER_TENSOR_SYMMETRIC : QScheme.PER_TENSOR_AFFINE)
                .reduceRange(c.get("reduce_range").asBoolean())
                .bins(c.get("bins").asInt())
                .upsampleRate(c.get("upsample_rate").asInt())
                .build();
        for (JsonNode b : c.get("batches")) {
            h.forward(SeededBatches.batch(b.get("seed").asLong(), b.get("n").asInt(), b.get("lo").asDouble(),
                    b.get("hi").asDouble(), b.get("kind").asText()));
        }
        assertEquals(c.get("min_val_bits").asInt(), Float.floatToIntBits(h.minVal()), "min_val " + h.minVal());
        assertEquals(c.get("max_val_bits").asInt(), Float.floatToIntBits(h.maxVal()), "max_val " + h.maxVal());
        JsonNode histogram = c.get("histogram_bits");
        if (histogram != null) {
            float[] got = h.histogram();
            for (int i = 0; i < got.length; i++) {
                assertEquals(histogram.get(i).asInt(), Float.floatToIntBits(got[i]), "histogram bin " + i);
            }
        }
        assertEquals(c.get("histogram_sum_bits").asInt(), Float.floatToIntBits(CascadeSum.sum(h.histogram())), "sum of the histogram");
        float[] range = new L2NormSearch(h.histogram(), h.minVal(), h.maxVal(), 256).search();
        assertEquals(c.get("search_min_bits").asInt(), Float.floatToIntBits(range[0]), "searched min " + range[0]);
        assertEquals(c.get("search_max_bits").asInt(), Float.floatToIntBits(range[1]), "searched max " + range[1]);
        QParams.PerTensor qp = h.calculateQParams();
        assertEquals(c.get("scale_bits").asInt(), Float.floatToIntBits((float) qp.scale()), "scale " + qp.scale());
        assertEquals(c.get("zero_point").asInt(), qp.zeroPoint(), "zero point");
    }
}
