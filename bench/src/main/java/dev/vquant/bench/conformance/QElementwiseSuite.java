package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.convert.Layout;
import dev.vquant.ops.elementwise.QAdd;
import dev.vquant.ops.elementwise.QCat;
import dev.vquant.ops.elementwise.QHardswish;
import dev.vquant.ops.elementwise.QMul;
import dev.vquant.ops.elementwise.QRelu6;
import dev.vquant.ops.elementwise.QRelu;
import dev.vquant.ops.elementwise.QSigmoid;
import dev.vquant.ops.pool.QAdaptiveAvgPool2d;
import dev.vquant.ops.pool.QAvgPool2d;
import dev.vquant.ops.pool.QMaxPool2d;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code qelementwise}: quantized add, add_relu, mul, mul_relu, cat, relu, relu6, hardswish,
 * sigmoid, max_pool2d, avg_pool2d and adaptive_avg_pool2d through the ops module's operators in
 * NHWC. The file's inputs and outputs are logical NCHW (PyTorch computed them in channels_last
 * memory); they are transposed on the way in and the expected output on the way back. Ints must
 * equal, exactly, the output golden/NUMERICS.md assigns: {@code onednn} (ATen's own kernels) for
 * fbgemm and reference; {@code qnnpack} for qnnpack, except relu6 and avg_pool2d with
 * count_include_pad=False, where PyTorch's qnnpack is wrong and {@code onednn} is the answer.
 */
final class QElementwiseSuite implements CaseSuite {

    @Override
    public String fileKind() {
        return "qelementwise";
    }

    /** The PyTorch engine whose output {@code engine} must equal on case {@code c}. */
    static String expectedKey(KernelBackend engine, JsonNode c) {
        if (engine.numerics().family() != EngineNumerics.Family.QNNPACK) {
            return "onednn";
        }
        String op = c.get("op").asText();
        boolean qnnpackWrong = op.equals("relu6")
                || op.equals("avg_pool2d") && !c.path("params").path("count_include_pad").asBoolean(true);
        return qnnpackWrong ? "onednn" : "qnnpack";
    }

    @Override
    public List<Outcome> run(JsonNode root, KernelBackend engine) {
        List<Outcome> outcomes = new ArrayList<>();
        JsonNode inputs = root.get("inputs");
        JsonNode cases = root.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String label = Golden.label(c, i);
            String key = expectedKey(engine, c);
            JsonNode expected = c.get("output_int_by_engine").get(key);
            if (expected == null || !expected.isArray()) {
                outcomes.add(Outcome.skipped(label, "PyTorch gives no " + key + " output: " + expected));
                continue;
            }
            try {
                QTensor y = forward(c, inputs, engine);
                int[] nchw = outputShape(c, inputs, key);
                byte[] want = Layout.nchwToNhwc(Golden.bytes(Golden.ints(expected)), nchw[0], nchw[1], nchw[2], nchw[3]);
                int[] wantInts = new int[want.length];
                for (int j = 0; j < want.length; j++) {
                    wantInts[j] = want[j] & 0xFF;
                }
                List<String> problems = new ArrayList<>();
                int[] nhwc = {nchw[0], nchw[2], nchw[3], nchw[1]};
                if (!java.util.Arrays.equals(nhwc, y.shape())) {
                    problems.add("shape " + java.util.Arrays.toString(y.shape()) + ", expected NHWC " + java.util.Arrays.toString(nhwc));
                }
                String diff = Golden.compareInts("output (NHWC order)", wantInts, QLinearStaticSuite.ints(y));
                if (diff != null) {
                    problems.add(diff);
                }
                JsonNode qp = c.path("output_qparams_by_engine").path(key);
                if (qp.has("scale") && ((float) y.qparams().scale(0) != (float) qp.get("scale").asDouble()
                        || y.qparams().zeroPoint(0) != qp.get("zero_point").asInt())) {
                    problems.add("output qparams " + y.qparams() + ", expected scale " + qp.get("scale") + " zero point "
                            + qp.get("zero_point"));
                }
                outcomes.add(problems.isEmpty() ? Outcome.passed(label) : Outcome.failed(label, String.join("; ", problems)));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.failed(label, e.toString()));
            }
        }
        return outcomes;
    }

    /** The output's logical NCHW shape: the engine's reported one, else the input's (elementwise) or cat's. */
    private static int[] outputShape(JsonNode c, JsonNode inputs, String key) {
        JsonNode qp = c.path("output_qparams_by_engine").path(key);
        if (qp.has("shape")) {
            return Golden.ints(qp.get("shape"));
        }
        String op = c.get("op").asText();
        if (op.equals("cat")) {
            int dim = c.get("dim").asInt();
            int[] shape = Golden.shape(inputs.get(c.get("inputs").get(0).asText()));
            int total = 0;
            for (JsonNode name : c.get("inputs")) {
                total += Golden.shape(inputs.get(name.asText()))[dim];
            }
            shape[dim] = total;
            return shape;
        }
        return Golden.shape(inputs.get(c.get("a").asText()));
    }

    private static QTensor input(JsonNode inputs, String name) {
        JsonNode t = inputs.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no input named '" + name + "' in the file's inputs map");
        }
        return QLinearStaticSuite.activation(t, true);
    }

    /** NCHW dimension {@code d} as the NHWC dimension vquant concatenates along. */
    private static int nhwcDim(int d) {
        return switch (d) {
            case 0 -> 0;
            case 1 -> 3;
            case 2 -> 1;
            case 3 -> 2;
            default -> throw new IllegalArgumentException("cat: dimension " + d + " is out of range for a 4-D tensor");
        };
    }

    private static QTensor forward(JsonNode c, JsonNode inputs, KernelBackend engine) {
        String op = c.get("op").asText();
        JsonNode p = c.path("params");
        return switch (op) {
            case "add", "add_relu" -> QAdd.builder().output(c.get("out_scale").asDouble(), c.get("out_zero_point").asInt())
                    .relu(op.endsWith("_relu")).build()
                    .forward(input(inputs, c.get("a").asText()), input(inputs, c.get("b").asText()), engine);
            case "mul", "mul_relu" -> QMul.builder().output(c.get("out_scale").asDouble(), c.get("out_zero_point").asInt())
                    .relu(op.endsWith("_relu")).build()
                    .forward(input(inputs, c.get("a").asText()), input(inputs, c.get("b").asText()), engine);
            case "cat" -> {
                List<QTensor> parts = new ArrayList<>();
                for (JsonNode name : c.get("inputs")) {
                    parts.add(input(inputs, name.asText()));
                }
                yield QCat.builder(nhwcDim(c.get("dim").asInt()))
                        .output(c.get("out_scale").asDouble(), c.get("out_zero_point").asInt()).build()
                        .forward(parts);
            }
            case "relu" -> new QRelu(0).forward(input(inputs, c.get("a").asText()), engine);
            case "relu6" -> new QRelu6(0).forward(input(inputs, c.get("a").asText()), engine);
            case "hardswish" -> QHardswish.builder()
                    .output(c.get("out_scale").asDouble(), c.get("out_zero_point").asInt()).build()
                    .forward(input(inputs, c.get("a").asText()), engine);
            case "sigmoid" -> new QSigmoid(0).forward(input(inputs, c.get("a").asText()), engine);
            case "max_pool2d" -> QMaxPool2d.builder(geometry(p)).ceilMode(p.path("ceil_mode").asBoolean(false)).build()
                    .forward(input(inputs, c.get("a").asText()), engine);
            case "avg_pool2d" -> QAvgPool2d.builder(geometry(p)).ceilMode(p.path("ceil_mode").asBoolean(false))
                    .countIncludePad(p.path("count_include_pad").asBoolean(true))
                    .divisorOverride(p.path("divisor_override").asInt(0)).build()
                    .forward(input(inputs, c.get("a").asText()), engine);
            case "adaptive_avg_pool2d" -> {
                JsonNode size = p.get("output_size");
                int oh = size.isArray() ? size.get(0).asInt() : size.asInt();
                int ow = size.isArray() ? size.get(1).asInt() : size.asInt();
                yield QAdaptiveAvgPool2d.builder(oh, ow).build().forward(input(inputs, c.get("a").asText()), engine);
            }
            default -> throw new IllegalArgumentException("unknown op '" + op + "'");
        };
    }

    /** kernel_size / stride / padding as ints or pairs; stride defaults to the kernel size (PyTorch's rule). */
    private static ConvGeometry geometry(JsonNode p) {
        int[] k = pair(p.get("kernel_size"));
        int[] s = p.hasNonNull("stride") ? pair(p.get("stride")) : k;
        int[] pad = p.has("padding") ? pair(p.get("padding")) : new int[]{0, 0};
        int[] d = p.has("dilation") ? pair(p.get("dilation")) : new int[]{1, 1};
        return new ConvGeometry(k[0], k[1], s[0], s[1], pad[0], pad[1], d[0], d[1]);
    }

    private static int[] pair(JsonNode v) {
        return v.isArray() ? new int[]{v.get(0).asInt(), v.get(1).asInt()} : new int[]{v.asInt(), v.asInt()};
    }
}
