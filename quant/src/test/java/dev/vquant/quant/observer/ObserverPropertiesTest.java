package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What PyTorch's observers guarantee, over generated data (jqwik prints the seed and inputs of a
 * failure): running min/max is the min/max of the concatenation however the data is split into
 * batches; a histogram does not depend on the order or shape of a batch; a histogram of
 * activations in [0, 1) (nothing falls outside PyTorch's integer-truncated histc range there)
 * keeps the count of every element through range growth, up to float32 rounding of the
 * resampling; the L2 search only narrows; and the float32 building blocks (cascade sum, histc,
 * floor division) agree with exact arithmetic where that is exact.
 */
class ObserverPropertiesTest {

    private static float[] floats(List<Float> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i);
        }
        return f;
    }

    private static float[] concat(List<List<Float>> batches) {
        List<Float> all = new ArrayList<>();
        batches.forEach(all::addAll);
        return floats(all);
    }

    private static UniformQuantizationObserver.Builder<?, ?> perTensor(int config, UniformQuantizationObserver.Builder<?, ?> b) {
        return switch (config) {
            case 0 -> b.dtype(DType.QUINT8).qscheme(QScheme.PER_TENSOR_AFFINE);
            case 1 -> b.dtype(DType.QUINT8).qscheme(QScheme.PER_TENSOR_AFFINE).reduceRange(true);
            case 2 -> b.dtype(DType.QINT8).qscheme(QScheme.PER_TENSOR_SYMMETRIC);
            default -> b.dtype(DType.QINT8).qscheme(QScheme.PER_TENSOR_AFFINE).reduceRange(true);
        };
    }

    @Property(tries = 200)
    void minMaxOverBatchesIsMinMaxOfTheConcatenation(
            @ForAll @Size(min = 1, max = 6) List<@Size(min = 1, max = 40) List<@FloatRange(min = -1e4f, max = 1e4f) Float>> batches,
            @ForAll @IntRange(min = 0, max = 3) int config) {
        MinMaxObserver split = (MinMaxObserver) perTensor(config, MinMaxObserver.builder()).build();
        for (List<Float> b : batches) {
            split.forward(FloatTensor.of(floats(b), b.size()));
        }
        MinMaxObserver whole = (MinMaxObserver) perTensor(config, MinMaxObserver.builder()).build();
        float[] all = concat(batches);
        whole.forward(FloatTensor.of(all, all.length));
        assertEquals(whole.minVal(), split.minVal());
        assertEquals(whole.maxVal(), split.maxVal());
        assertEquals(whole.calculateQParams(), split.calculateQParams());
    }

    @Property(tries = 200)
    void perChannelOverBatchesIsPerChannelOfTheConcatenation(
            @ForAll @Size(min = 1, max = 5) List<@Size(min = 1, max = 7) List<@FloatRange(min = -50f, max = 50f) Float>> rows,
            @ForAll @IntRange(min = 1, max = 4) int channels, @ForAll boolean symmetric) {
        // each generated list is one batch of shape [k, channels] (values cycled to fill it);
        // ch_axis 1 as for an activation [N, C]
        PerChannelMinMaxObserver.Builder builder = PerChannelMinMaxObserver.builder().chAxis(1)
                .dtype(symmetric ? DType.QINT8 : DType.QUINT8)
                .qscheme(symmetric ? QScheme.PER_CHANNEL_SYMMETRIC : QScheme.PER_CHANNEL_AFFINE);
        PerChannelMinMaxObserver split = builder.build();
        List<Float> all = new ArrayList<>();
        int totalRows = 0;
        for (List<Float> r : rows) {
            float[] batch = new float[r.size() * channels];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = r.get(i % r.size()) + i % channels;
                all.add(batch[i]);
            }
            split.forward(FloatTensor.of(batch, r.size(), channels));
            totalRows += r.size();
        }
        PerChannelMinMaxObserver whole = builder.build();
        whole.forward(FloatTensor.of(floats(all), totalRows, channels));
        assertArrayEquals(whole.minVal(), split.minVal());
        assertArrayEquals(whole.maxVal(), split.maxVal());
        assertEquals(whole.calculateQParams(), split.calculateQParams());
        assertEquals(channels, split.calculateQParams().count());
    }

    @Property(tries = 100)
    void movingAverageWithConstantZeroKeepsTheFirstRange(
            @ForAll @Size(min = 1, max = 5) List<@Size(min = 1, max = 20) List<@FloatRange(min = -100f, max = 100f) Float>> batches) {
        MovingAverageMinMaxObserver o = MovingAverageMinMaxObserver.builder().averagingConstant(0).build();
        MinMaxObserver first = MinMaxObserver.builder().build();
        first.forward(FloatTensor.of(floats(batches.get(0)), batches.get(0).size()));
        for (List<Float> b : batches) {
            o.forward(FloatTensor.of(floats(b), b.size()));
        }
        assertEquals(first.minVal(), o.minVal());
        assertEquals(first.maxVal(), o.maxVal());
        assertEquals(first.calculateQParams(), o.calculateQParams());
    }

    /**
     * Each generated list scaled by its factor (cycled), plus {@code low * scale} and
     * {@code high * scale}: at least two distinct values, so no batch leaves a constant range
     * (which PyTorch's HistogramObserver restarts from).
     */
    private static List<float[]> scaledBatches(List<List<Float>> values, List<Float> scales, float low, float high) {
        List<float[]> out = new ArrayList<>();
        for (int b = 0; b < values.size(); b++) {
            List<Float> v = values.get(b);
            float scale = scales.get(b % scales.size());
            float[] x = new float[v.size() + 2];
            for (int i = 0; i < v.size(); i++) {
                x[i] = v.get(i) * scale;
            }
            x[v.size()] = low * scale;
            x[v.size() + 1] = high * scale;
            out.add(x);
        }
        return out;
    }

    @Property(tries = 60)
    void histogramIgnoresTheOrderAndShapeOfABatch(
            @ForAll @Size(min = 1, max = 4) List<@Size(min = 1, max = 60) List<@FloatRange(min = -1f, max = 1f) @Scale(6) Float>> shapes,
            @ForAll @Size(min = 1, max = 4) List<@FloatRange(min = 0.01f, max = 300f) Float> scales,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int config) {
        HistogramObserver plain = (HistogramObserver) perTensor(config, HistogramObserver.builder()).build();
        HistogramObserver shuffled = (HistogramObserver) perTensor(config, HistogramObserver.builder()).build();
        Random rng = new Random(seed);
        for (float[] x : scaledBatches(shapes, scales, -0.5f, 0.75f)) {
            plain.forward(FloatTensor.of(x, x.length));
            List<Float> order = new ArrayList<>();
            for (float v : x) {
                order.add(v);
            }
            Collections.shuffle(order, rng);
            float[] y = floats(order);
            shuffled.forward(FloatTensor.of(y, 1, y.length, 1));
        }
        assertEquals(plain.minVal(), shuffled.minVal());
        assertEquals(plain.maxVal(), shuffled.maxVal());
        assertArrayEquals(plain.histogram(), shuffled.histogram());
        assertEquals(plain.calculateQParams(), shuffled.calculateQParams());
    }

    @Property(tries = 40)
    void histogramOfUnitIntervalActivationsKeepsEveryCount(
            @ForAll @Size(min = 1, max = 6) List<@Size(min = 1, max = 300) List<@FloatRange(min = 0f, max = 0.999f) @Scale(6) Float>> batches,
            @ForAll @Size(min = 1, max = 6) List<@FloatRange(min = 0.05f, max = 1f) Float> shrink) {
        HistogramObserver h = HistogramObserver.builder().reduceRange(true).build();
        long count = 0;
        for (float[] x : scaledBatches(batches, shrink, 0.1f, 0.9f)) {
            h.forward(FloatTensor.of(x, x.length));
            count += x.length;
        }
        double mass = 0;
        for (float c : h.histogram()) {
            mass += c;
        }
        assertEquals(count, mass, 1e-4 * count, "elements counted");
        float[] range = new L2NormSearch(h.histogram(), h.minVal(), h.maxVal(), 256).search();
        assertTrue(range[0] >= h.minVal() && range[0] <= range[1], () -> "searched range " + range[0] + ".." + range[1]);
        QParams.PerTensor qp = h.calculateQParams();
        assertTrue(qp.zeroPoint() >= 0 && qp.zeroPoint() <= 127);
    }

    @Property(tries = 300)
    void cascadeSumIsExactWhereTheSumIs(@ForAll @Size(max = 5000) List<@IntRange(min = -1000, max = 1000) Integer> values) {
        float[] x = new float[values.size()];
        long exact = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = values.get(i);
            exact += values.get(i);
        }
        assertEquals((float) exact, CascadeSum.sum(x));
    }

    @Property(tries = 200)
    void histcCountsEveryElementInsideItsRange(
            @ForAll @Size(min = 1, max = 200) List<@FloatRange(min = -20f, max = 20f) Float> values,
            @ForAll @IntRange(min = -10, max = 10) int lo, @ForAll @IntRange(min = 0, max = 10) int width,
            @ForAll @IntRange(min = 1, max = 300) int bins) {
        float[] x = floats(values);
        float dataMin = Float.POSITIVE_INFINITY;
        float dataMax = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            dataMin = Math.min(dataMin, v);
            dataMax = Math.max(dataMax, v);
        }
        float[] hist = Histc.histc(x, bins, lo, lo + width, dataMin, dataMax);
        double left = lo;
        double right = lo + width;
        if (width == 0) {
            left = dataMin;
            right = dataMax;
            if (left == right) {
                left -= 1;
                right += 1;
            }
        }
        long inside = 0;
        for (float v : x) {
            if (v >= (float) left && v <= (float) right) {
                inside++;
            }
        }
        float total = 0;
        for (float c : hist) {
            total += c;
        }
        assertEquals(inside, (long) total);
    }

    @Property(tries = 500)
    void floorDivisionOfIntegersIsExact(@ForAll @IntRange(min = -100000, max = 100000) int a,
                                        @ForAll @IntRange(min = 1, max = 1000) int b, @ForAll boolean negative) {
        int d = negative ? -b : b;
        assertEquals(Math.floorDiv(a, d), L2NormSearch.divFloor(a, d), 0.0); // delta 0: -0.0 == 0.0
    }
}
