package dev.vquant.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Identity;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;
import dev.vquant.quant.nn.intrinsic.ConvReLU2d;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fuse_conv_bn_relu.json (PyTorch 1.13): every fused weight and bias bit for bit, and the fused model's output. */
class FuserGoldenTest {

    static JsonNode golden() throws IOException {
        try (InputStream in = FuserGoldenTest.class.getResourceAsStream("/golden/fuse_conv_bn_relu.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static float[] floats(JsonNode tensor) {
        JsonNode bits = tensor.get("bits");
        float[] f = new float[bits.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat(bits.get(i).asInt());
        }
        return f;
    }

    static int[] shape(JsonNode tensor) {
        int[] s = new int[tensor.get("shape").size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = tensor.get("shape").get(i).asInt();
        }
        return s;
    }

    /** The unfused Sequential(conv, bn[, relu]) of one case, in eval mode, with the case's weights. */
    static Sequential model(JsonNode c) {
        int[] w = shape(c.get("conv_weight"));
        int groups = c.get("groups").asInt();
        boolean hasBias = c.hasNonNull("conv_bias");
        Conv2d conv = Conv2d.builder(w[1] * groups, w[0], w[2], w[3]).padding(c.get("padding").get(0).asInt(), c.get("padding").get(1).asInt())
                .groups(groups).bias(hasBias).seed(1).build();
        conv.weight().copyFrom(floats(c.get("conv_weight")));
        if (hasBias) {
            conv.bias().copyFrom(floats(c.get("conv_bias")));
        }
        BatchNorm2d bn = new BatchNorm2d(w[0], c.get("bn_eps").asDouble(), 0.1, true, true);
        bn.weight().copyFrom(floats(c.get("bn_weight")));
        bn.bias().copyFrom(floats(c.get("bn_bias")));
        bn.runningMean().copyFrom(floats(c.get("bn_running_mean")));
        bn.runningVar().copyFrom(floats(c.get("bn_running_var")));
        Sequential s = c.get("label").asText().endsWith("+relu") ? new Sequential(conv, bn, new ReLU()) : new Sequential(conv, bn);
        s.eval();
        return s;
    }

    @Test
    void everyCaseBitExact() throws IOException {
        JsonNode cases = golden().get("cases");
        assertEquals(6, cases.size());
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases) {
            String label = c.get("label").asText();
            Sequential s = model(c);
            List<String> group = s.size() == 3 ? List.of("0", "1", "2") : List.of("0", "1");
            Module fused = Fuser.fuseModules(s, List.of(group));
            Module first = fused.getSubmodule("0");
            assertEquals(c.get("fused_type").asText(), first.getClass().getSimpleName(), label);
            Conv2d conv = first instanceof ConvReLU2d cr ? cr.conv() : (Conv2d) first;
            for (int i = 1; i < group.size(); i++) {
                assertInstanceOf(Identity.class, fused.getSubmodule(group.get(i)), label);
            }
            compareBits(label + " weight", floats(c.get("fused_weight")), conv.weight().data(), failures);
            compareBits(label + " bias", floats(c.get("fused_bias")), conv.bias().data(), failures);
            // the unfused model is unchanged (fuseModules worked on a copy)
            assertInstanceOf(Conv2d.class, s.get(0), label);
            float[] y = fused.forward(Tensor.of(floats(c.get("x")), shape(c.get("x")))).toFloatArray();
            float[] expected = floats(c.get("y_fused"));
            for (int i = 0; i < y.length; i++) {
                assertEquals(expected[i], y[i], 1e-5f * Math.max(1f, Math.abs(expected[i])), label + " output " + i);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    static void compareBits(String what, float[] expected, float[] actual, List<String> failures) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                failures.add(what + "[" + i + "]: PyTorch " + expected[i] + ", vquant " + actual[i]);
            }
        }
    }
}
