package dev.vquant.quant.qat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.FakeQuantGrad;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.vquant.quant.qat.FakeQuantizeGoldenTest.floats;
import static dev.vquant.quant.qat.FakeQuantizeGoldenTest.ints;
import static dev.vquant.quant.qat.FakeQuantizeGoldenTest.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The straight-through estimator with clipping through a {@link GradTape} equals PyTorch 1.13's
 * backward of {@code fake_quantize_per_tensor_affine} / {@code _per_channel_affine}
 * ({@code golden/fake_quantize.json}: {@code dx} for the recorded {@code dy}), value for value.
 */
class FakeQuantizeGradGoldenTest {

    @Test
    void straightThroughEstimatorMatchesPyTorch() throws IOException {
        int checked = 0;
        for (JsonNode c : FakeQuantizeGoldenTest.golden().get("cases")) {
            String kind = c.get("kind").asText();
            if (kind.equals("module")) {
                continue;
            }
            float[] x = floats(c.get("x"));
            int[] shape = shape(c.get("x"));
            boolean perTensor = kind.equals("per_tensor");
            float[] scale = perTensor ? new float[]{(float) c.get("scale").asDouble()} : floats(c.get("scales"));
            int[] zp = perTensor ? new int[]{c.get("zero_point").asInt()} : ints(c.get("zero_points"));
            int axis = perTensor ? -1 : c.get("axis").asInt();
            int qmin = c.get("quant_min").asInt();
            int qmax = c.get("quant_max").asInt();
            float[] dy = floats(c.get("dy"));
            Parameter p = Parameter.of(x.clone(), shape);
            try (GradTape tape = GradTape.record()) {
                Tensor in = tape.leaf(p);
                Tensor y = Tensor.of(perTensor ? FakeQuantization.perTensor(x, scale[0], zp[0], qmin, qmax)
                        : FakeQuantization.perChannel(x, shape, axis, scale, zp, qmin, qmax), shape);
                FakeQuantGrad.record(tape, in, y, scale, zp, axis, qmin, qmax);
                // loss = sum(dy * y), so y's gradient is dy
                Tensor loss = Tensor.of(new float[]{0f});
                tape.record(loss, (g, needs) -> new float[][]{dy}, y);
                tape.backward(loss);
            }
            float[] dx = floats(c.get("dx"));
            for (int i = 0; i < dx.length; i++) {
                // the parameter's gradient starts at +0, so PyTorch's -0.0 (a negative dy clipped) reads +0 here
                assertEquals(dx[i] == 0 ? 0f : dx[i], p.grad()[i] == 0 ? 0f : p.grad()[i], 0f, kind + " dx[" + i + "]");
            }
            checked++;
        }
        assertEquals(5, checked, "the per-tensor and per-channel cases of the golden file");
    }
}
