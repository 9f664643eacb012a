package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.ops.convert.Layout;
import dev.vquant.quant.Fuser;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Identity;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;
import dev.vquant.quant.nn.intrinsic.ConvReLU2d;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code fuse_conv_bn_relu}: {@link Fuser#fuseModules} on an eval-mode Sequential(Conv2d,
 * BatchNorm2d[, ReLU]) built from the case: the fused module's type as PyTorch names it, the
 * emptied slots {@link Identity}, the folded weight and bias bit for bit, and the fused
 * convolution's float output on the engine within 1e-5 relative of PyTorch's (float32 summation
 * order differs between engines).
 */
final class FuseConvBnReluSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "fuse_conv_bn_relu";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode cases = root.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = Golden.label(c, i);
            try {
                String d = check(c, engine);
                outcomes.add(d == null ? Outcome.passed(label) : Outcome.failed(label, d));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.failed(label, e.toString()));
            }
        }
        return outcomes;
    }

    private static String check(JsonNode c, KernelBackend engine) {
        int[] w = Golden.shape(c.get("conv_weight"));
        int groups = c.get("groups").asInt();
        boolean hasBias = c.hasNonNull("conv_bias");
        Conv2d conv = Conv2d.builder(w[1] * groups, w[0], w[2], w[3])
                .padding(c.get("padding").get(0).asInt(), c.get("padding").get(1).asInt()).groups(groups).bias(hasBias).seed(0).build();
        conv.weight().copyFrom(Golden.floats(c.get("conv_weight")));
        if (hasBias) {
            conv.bias().copyFrom(Golden.floats(c.get("conv_bias")));
        }
        BatchNorm2d bn = new BatchNorm2d(w[0], c.get("bn_eps").asDouble(), 0.1, true, true);
        bn.weight().copyFrom(Golden.floats(c.get("bn_weight")));
        bn.bias().copyFrom(Golden.floats(c.get("bn_bias")));
        bn.runningMean().copyFrom(Golden.floats(c.get("bn_running_mean")));
        bn.runningVar().copyFrom(Golden.floats(c.get("bn_running_var")));
        boolean relu = c.get("label").asText().endsWith("+relu");
        Sequential model = relu ? new Sequential(conv, bn, new ReLU()) : new Sequential(conv, bn);
        model.eval();
        List<String> group = relu ? List.of("0", "1", "2") : List.of("0", "1");
        Module fused = Fuser.fuseModules(model, List.of(group), true);
        Module first = fused.getSubmodule("0");
        if (!first.getClass().getSimpleName().equals(c.get("fused_type").asText())) {
            return "fused module is " + first.getClass().getSimpleName() + ", PyTorch's is " + c.get("fused_type").asText();
        }
        for (String name : group.subList(1, group.size())) {
            if (!(fused.getSubmodule(name) instanceof Identity)) {
                return "slot " + name + " is " + fused.getSubmodule(name) + ", not Identity";
            }
        }
        Conv2d f = first instanceof ConvReLU2d cr ? cr.conv() : (Conv2d) first;
        String d = Golden.compareFloatBits("fused weight", Golden.floats(c.get("fused_weight")), f.weight().data());
        if (d == null) {
            d = Golden.compareFloatBits("fused bias", Golden.floats(c.get("fused_bias")), f.bias().data());
        }
        return d != null ? d : compareOutput(c, f, relu, engine);
    }

    private static String compareOutput(JsonNode c, Conv2d f, boolean relu, KernelBackend engine) {
        int[] xs = Golden.shape(c.get("x"));
        float[] nhwc = Layout.nchwToNhwc(Golden.floats(c.get("x")), xs[0], xs[1], xs[2], xs[3]);
        FloatConv2d op = FloatConv2d.builder(FloatTensor.of(f.weight().data(), f.weight().shape()), f.geometry())
                .groups(f.groups()).bias(f.bias().data()).relu(relu).threads(1).engine(engine).build();
        FloatTensor y = op.forward(FloatTensor.of(nhwc, xs[0], xs[2], xs[3], xs[1]), engine);
        int[] ys = y.shape();
        float[] got = Layout.nhwcToNchw(y.data(), ys[0], ys[1], ys[2], ys[3]);
        float[] want = Golden.floats(c.get("y_fused"));
        if (got.length != want.length) {
            return "output: expected " + want.length + " values, got " + got.length;
        }
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(got[i] - want[i]) > 1e-5f * Math.max(1f, Math.abs(want[i]))) {
                return "output[" + i + "]: PyTorch " + want[i] + ", vquant " + got[i] + " (beyond 1e-5 relative)";
            }
        }
        return null;
    }
}
