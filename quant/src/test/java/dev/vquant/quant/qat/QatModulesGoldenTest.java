package dev.vquant.quant.qat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;
import dev.vquant.quant.nn.intrinsic.ConvBn2d;
import dev.vquant.quant.nn.intrinsic.ConvBnReLU2d;
import dev.vquant.quant.nn.intrinsic.LinearReLU;
import dev.vquant.quant.observer.MovingAverageMinMaxObserver;
import dev.vquant.quant.observer.MovingAveragePerChannelMinMaxObserver;
import dev.vquant.engine.QScheme;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.vquant.quant.qat.FakeQuantizeGoldenTest.assertBits;
import static dev.vquant.quant.qat.FakeQuantizeGoldenTest.floats;
import static dev.vquant.quant.qat.FakeQuantizeGoldenTest.ints;
import static dev.vquant.quant.qat.FakeQuantizeGoldenTest.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QAT modules against PyTorch 1.13 ({@code golden/qat_modules.json}, written by
 * {@code tools/golden/qat_modules.py}), stepped in training mode, with frozen BN statistics and
 * disabled observers, and in eval mode: FakeQuantize (per tensor and per channel, observer and
 * fake quantization toggled) bit for bit; prepareQat of fused ConvBnReLU2d / ConvBn2d (with and
 * without conv bias) and of Linear / LinearReLU: state dict names equal PyTorch's; the weight
 * fake-quant's first qparams bit for bit (they depend on the weights and the initial BN
 * statistics only); after every step the weight qparams, the BN running statistics and the module
 * output (activation fake-quant included) as PyTorch's up to float32 summation order: vquant's
 * float convolution, linear and batch statistics sum in another order (measured: last-bit
 * differences), so values agree within a relative 1e-5, and a fake-quantized output that sits on a
 * rounding boundary may move by one quantization step (at most 2% of the elements).
 */
class QatModulesGoldenTest {

    static JsonNode golden() throws IOException {
        try (InputStream in = QatModulesGoldenTest.class.getResourceAsStream("/golden/qat_modules.json")) {
            assertNotNull(in, "test resource golden/qat_modules.json");
            return new ObjectMapper().readTree(in);
        }
    }

    @TestFactory
    List<DynamicTest> cases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden().get("cases")) {
            String kind = c.get("kind").asText();
            String label = kind + " " + (kind.equals("fake_quantize") ? c.get("factory").asText()
                    : c.get("qconfig").asText() + " relu=" + c.get("relu").asBoolean());
            tests.add(DynamicTest.dynamicTest(label, () -> {
                switch (kind) {
                    case "fake_quantize" -> fakeQuantize(c);
                    case "conv_bn" -> convBn(c);
                    default -> linear(c);
                }
            }));
        }
        assertEquals(6, tests.size());
        return tests;
    }

    private static void fakeQuantize(JsonNode c) {
        FakeQuantize fq = c.get("factory").asText().equals("default_fake_quant")
                ? new FakeQuantize(MovingAverageMinMaxObserver.builder().quantMin(0).quantMax(255).reduceRange(true).build())
                : new FakeQuantize(MovingAveragePerChannelMinMaxObserver.builder().dtype(DType.QINT8)
                .qscheme(QScheme.PER_CHANNEL_SYMMETRIC).quantMin(-128).quantMax(127).build());
        int i = 0;
        for (JsonNode s : c.get("steps")) {
            switch (s.get("action").asText()) {
                case "disable_observer" -> fq.disableObserver();
                case "disable_fake_quant" -> fq.disableFakeQuant();
                case "enable_both" -> fq.enableObserver(true).enableFakeQuant(true);
                default -> {
                }
            }
            FloatTensor y = fq.forward(FloatTensor.of(floats(s.get("x")), shape(s.get("x"))));
            checkFakeQuant(s, fq, "step " + i);
            assertBits(floats(s.get("y")), y.data(), "step " + i + " output");
            i++;
        }
    }

    private static void checkFakeQuant(JsonNode s, FakeQuantize fq, String what) {
        assertBits(floats(s.get("scale")), fq.scale(), what + " scale");
        assertArrayEquals(ints(s.get("zero_point")), fq.zeroPoint(), what + " zero point");
    }

    /** Bit for bit at the first step; afterwards scales within 1e-5 relative and zero points within 1. */
    private static void checkWeightFakeQuant(JsonNode s, FakeQuantize fq, int step, String what) {
        if (step == 0) {
            checkFakeQuant(s, fq, what);
            return;
        }
        assertClose(floats(s.get("scale")), fq.scale(), 0, what + " scale");
        int[] z = ints(s.get("zero_point"));
        for (int i = 0; i < z.length; i++) {
            assertTrue(Math.abs(z[i] - fq.zeroPoint()[i]) <= 1, what + " zero point " + i + ": " + fq.zeroPoint()[i] + " vs " + z[i]);
        }
    }

    /**
     * Within 1e-5 relative (plus 1e-6 absolute), except at most 2% of the elements (at least one),
     * which may differ by up to {@code step} (one quantization step of a fake-quantized output).
     */
    static void assertClose(float[] expected, float[] actual, float step, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int far = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            worst = Math.max(worst, d);
            if (d > 1e-5 * Math.abs(expected[i]) + 1e-6) {
                far++;
                assertTrue(d <= step * 1.0001 + 1e-6, what + ": index " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
        assertTrue(far <= Math.max(1, expected.length / 50), what + ": " + far + " of " + expected.length
                + " elements differ by more than 1e-5 relative (largest " + worst + ")");
    }

    /** One quantization step of the output: the activation fake-quant's scale. */
    private static float outputStep(Module model) {
        return ((FakeQuantize) model.getSubmodule("0." + Module.ACTIVATION_POST_PROCESS)).scale()[0];
    }

    private static void load(dev.vquant.quant.nn.Parameter p, JsonNode init, String key) {
        p.copyFrom(floats(init.get(key)));
    }

    private static void convBn(JsonNode c) {
        JsonNode init = c.get("init");
        boolean bias = c.get("bias").asBoolean();
        Conv2d conv = Conv2d.builder(3, 4, 3).padding(1).bias(bias).build();
        BatchNorm2d bn = new BatchNorm2d(4);
        load(conv.weight(), init, "weight");
        if (bias) {
            load(conv.bias(), init, "bias");
        }
        load(bn.weight(), init, "bn.weight");
        load(bn.bias(), init, "bn.bias");
        load(bn.runningMean(), init, "bn.running_mean");
        load(bn.runningVar(), init, "bn.running_var");
        Module fused = c.get("relu").asBoolean() ? new ConvBnReLU2d(conv, bn, new ReLU()) : new ConvBn2d(conv, bn);
        Module model = prepared(c, new Sequential(fused));
        var m = (dev.vquant.quant.nn.intrinsic.qat.ConvBn2d) model.getSubmodule("0");
        int i = 0;
        for (JsonNode s : c.get("steps")) {
            String action = s.get("action").asText();
            if (action.equals("freeze")) {
                QatControls.freezeBnStats(model);
                QatControls.disableObserver(model);
            } else if (action.equals("eval")) {
                model.eval();
            }
            Tensor y = model.forward(Tensor.of(floats(s.get("x")), shape(s.get("x"))));
            String what = action + " step " + i;
            checkWeightFakeQuant(s.get("weight_fake_quant"), m.weightFakeQuant(), i, what + " weight");
            assertClose(floats(s.get("running_mean")), m.bn().runningMean().data(), 0, what + " running_mean");
            assertClose(floats(s.get("running_var")), m.bn().runningVar().data(), 0, what + " running_var");
            assertEquals(s.get("num_batches_tracked").asInt(), (int) m.bn().numBatchesTracked().data()[0], what + " num_batches_tracked");
            assertClose(floats(s.get("y")), y.contiguous().toFloatArray(), outputStep(model), what + " output");
            i++;
        }
    }

    private static void linear(JsonNode c) {
        JsonNode init = c.get("init");
        Linear lin = new Linear(12, 5);
        load(lin.weight(), init, "0.weight");
        load(lin.bias(), init, "0.bias");
        Module model = prepared(c, new Sequential(c.get("relu").asBoolean() ? new LinearReLU(lin, new ReLU()) : lin));
        var m = (dev.vquant.quant.nn.qat.Linear) model.getSubmodule("0");
        int i = 0;
        for (JsonNode s : c.get("steps")) {
            if (s.get("action").asText().equals("eval")) {
                model.eval();
            }
            Tensor y = model.forward(Tensor.of(floats(s.get("x")), shape(s.get("x"))));
            checkWeightFakeQuant(s.get("weight_fake_quant"), m.weightFakeQuant(), i, "step " + i + " weight");
            assertClose(floats(s.get("y")), y.toFloatArray(), outputStep(model), "step " + i + " output");
            i++;
        }
    }

    /** prepareQat in training mode with the case's default QAT qconfig; PyTorch's state dict names. */
    private static Module prepared(JsonNode c, Module model) {
        model.train();
        model.setQConfig(QConfig.defaultQatFor(c.get("qconfig").asText()));
        Module prepared = Quantize.prepareQat(model);
        List<String> keys = new ArrayList<>();
        c.get("state_dict_keys").forEach(k -> keys.add(k.asText()));
        Map<String, Tensor> state = prepared.stateDict();
        assertEquals(new TreeSet<>(keys), new TreeSet<>(state.keySet()), "state dict names");
        return prepared;
    }
}
