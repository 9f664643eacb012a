package dev.vquant.quant.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.testing.GoldenJson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.vquant.quant.testing.GoldenJson.assertBits;
import static dev.vquant.quant.testing.GoldenJson.floats;
import static dev.vquant.quant.testing.GoldenJson.ints;

/**
 * SGD and the learning-rate schedules against PyTorch 1.13, bit for bit ({@code golden/optim.json},
 * written by {@code tools/golden/optim.py}): parameters after every step of SGD under each option
 * with its scheduler stepping after it, and the learning rate and momentum sequences of
 * CosineAnnealingLR (recursive and closed form, past T_max) and OneCycleLR (two and three phases,
 * cosine and linear, with and without momentum cycling).
 */
class OptimGoldenTest {

    @TestFactory
    List<DynamicTest> cases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : GoldenJson.read("optim.json").get("cases")) {
            String name = c.get("kind").asText() + ": " + c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (c.get("kind").asText().equals("sgd")) {
                    sgd(c, name);
                } else {
                    schedule(c, name);
                }
            }));
        }
        return tests;
    }

    private static void sgd(JsonNode c, String name) {
        List<Parameter> params = new ArrayList<>();
        for (int k = 0; k < c.get("shapes").size(); k++) {
            int[] shape = ints(c.get("shapes").get(k));
            params.add(Parameter.of(floats(c.get("initial").get(k)), shape));
        }
        SGD opt = sgd(params, c.get("options"));
        LRScheduler sched = scheduler(opt, c.get("scheduler"));
        int step = 0;
        for (JsonNode s : c.get("steps")) {
            assertRate(s.get("lr").asDouble(), opt.lr(), name + " step " + step + ": lr");
            assertRate(s.get("momentum").asDouble(), opt.momentum(), name + " step " + step + ": momentum");
            for (int k = 0; k < params.size(); k++) {
                float[] g = floats(s.get("grads").get(k));
                System.arraycopy(g, 0, params.get(k).grad(), 0, g.length);
            }
            opt.step();
            if (sched != null) {
                sched.step();
            }
            for (int k = 0; k < params.size(); k++) {
                assertBits(floats(s.get("params").get(k)), params.get(k).data(), name + " step " + step + " param " + k);
            }
            step++;
        }
    }

    private static void schedule(JsonNode c, String name) {
        SGD opt = sgd(List.of(Parameter.zeros(1)), c.get("options"));
        LRScheduler sched = scheduler(opt, c.get("scheduler"));
        JsonNode lrs = c.get("lr");
        JsonNode momenta = c.get("momentum");
        JsonNode epochs = c.get("epochs");
        for (int i = 0; i < lrs.size(); i++) {
            if (i > 0) {
                opt.step();
                if (epochs.isNull()) {
                    sched.step();
                } else {
                    sched.step(epochs.get(i - 1).asInt());
                }
            }
            assertRate(lrs.get(i).asDouble(), opt.lr(), name + " after step " + i + ": lr");
            assertEquals(opt.lr(), sched.lastLr(), name + " after step " + i + ": lastLr");
            assertRate(momenta.get(i).asDouble(), opt.momentum(), name + " after step " + i + ": momentum");
        }
    }

    private static SGD sgd(List<Parameter> params, JsonNode o) {
        return SGD.builder(params, o.get("lr").asDouble())
                .momentum(o.path("momentum").asDouble(0))
                .dampening(o.path("dampening").asDouble(0))
                .nesterov(o.path("nesterov").asBoolean(false))
                .weightDecay(o.path("weight_decay").asDouble(0))
                .build();
    }

    private static LRScheduler scheduler(SGD opt, JsonNode s) {
        if (s == null || s.isNull()) {
            return null;
        }
        if (s.get("kind").asText().equals("cosine")) {
            return new CosineAnnealingLR(opt, s.get("T_max").asInt(), s.path("eta_min").asDouble(0));
        }
        OneCycleLR.Builder b = OneCycleLR.builder(opt, s.get("max_lr").asDouble());
        if (s.has("total_steps")) {
            b.totalSteps(s.get("total_steps").asInt());
        }
        if (s.has("epochs")) {
            b.epochs(s.get("epochs").asInt()).stepsPerEpoch(s.get("steps_per_epoch").asInt());
        }
        if (s.has("pct_start")) {
            b.pctStart(s.get("pct_start").asDouble());
        }
        if (s.has("anneal_strategy")) {
            b.anneal(s.get("anneal_strategy").asText().equals("cos") ? OneCycleLR.Anneal.COS : OneCycleLR.Anneal.LINEAR);
        }
        if (s.has("cycle_momentum")) {
            b.cycleMomentum(s.get("cycle_momentum").asBoolean());
        }
        if (s.has("base_momentum")) {
            b.baseMomentum(s.get("base_momentum").asDouble());
        }
        if (s.has("max_momentum")) {
            b.maxMomentum(s.get("max_momentum").asDouble());
        }
        if (s.has("div_factor")) {
            b.divFactor(s.get("div_factor").asDouble());
        }
        if (s.has("final_div_factor")) {
            b.finalDivFactor(s.get("final_div_factor").asDouble());
        }
        if (s.has("three_phase")) {
            b.threePhase(s.get("three_phase").asBoolean());
        }
        return b.build();
    }

    /**
     * A rate as SGD uses it, rounded to float, is PyTorch's exactly; as a double it is within 8 ulps
     * (Python's cosine is glibc's, see {@link LRScheduler}; the recursive cosine form carries the
     * difference on).
     */
    static void assertRate(double expected, double actual, String what) {
        assertEquals(Float.floatToIntBits((float) expected), Float.floatToIntBits((float) actual),
                what + " as float: expected " + (float) expected + " got " + (float) actual);
        assertEquals(expected, actual, 8 * Math.ulp(expected), what);
    }
}
