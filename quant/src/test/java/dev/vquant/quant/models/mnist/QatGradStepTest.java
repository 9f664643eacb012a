package dev.vquant.quant.models.mnist;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.GradTape;
import dev.vquant.quant.autograd.Loss;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.qat.QatControls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One QAT gradient step of vquant against PyTorch 1.13 (tools/golden/qat_grad_step.py): cnn_micro
 * QAT-prepared as quant_eval.py does, holding PyTorch's state after 3 calibration forwards, then
 * forward, cross-entropy and backward on 16 fixed images (a) in training mode with observers on
 * and BN statistics live, (b) after {@code disableObserver} and {@code freezeBnStats} (the
 * recipe's last epoch), for the fbgemm QAT qconfig (reduce_range activations, 0..127) and the
 * qnnpack one (0..255). Loss, logits and every parameter's gradient must match PyTorch's, and
 * step (a)'s updated buffers (BN running statistics, observer ranges, scales, zero points) too.
 *
 * <p>Measured: logits equal to the last bit, loss within 1.3e-7, gradients within 2.5e-5 of each
 * tensor's max-abs, buffers within 1.1e-7, in all four cases. So the fbgemm recipe's epoch-2 loss
 * (which rose in vquant's run while PyTorch's fell) is no gradient, STE-mask or frozen-state
 * difference: from PyTorch's epoch-1 state and PyTorch's augmented batches vquant's epoch-2 step
 * losses equal PyTorch's to 1e-7 until a fake-quant rounding flips; RandomAffine's images differ
 * from PyTorch's by up to 4e-6 (Java's cos/sin, see AugmentGoldenTest), and such a flip moves the
 * epoch's mean by about 0.01, as much as resetting SGD's momentum does in PyTorch itself.
 */
class QatGradStepTest {
    /**
     * Relative to each tensor's max-abs. Forward and backward are float32 sums over up to
     * 16 x 28 x 28 terms in vquant's order, not ATen's: measured at most 2.5e-5 (loss and logits
     * equal to the last bit or to 1e-7); a fake-quant rounding flip or an STE mask element on the
     * wrong side of the clamp range moves a gradient by a whole quantization step's worth of
     * upstream gradient, far above this.
     */
    private static final double TOLERANCE = 1e-4;


    private static Map<String, Tensor> golden(String qc) {
        return MnistData.state("qat_grad/cnn_micro_" + qc + ".safetensors");
    }

    private static Map<String, Tensor> withPrefix(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** vquant's prepared cnn_micro holding the golden start state, in training mode. */
    private static Module start(String qc, Map<String, Tensor> golden) {
        Module m = MnistRecipes.qatPrepared(MnistCnn.cnnMicro(), qc);
        Map<String, Tensor> state = withPrefix(golden, "state.");
        assertEquals(new TreeSet<>(state.keySet()), new TreeSet<>(m.stateDict().keySet()), "state dict names");
        m.loadStateDict(state, true);
        return m.train();
    }

    private static Tensor batch(Map<String, Tensor> golden) {
        float[] px = golden.get("batch").toFloatArray();
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = px[i] / 255f; // train.py: uint8 / 255.0 in float32
        }
        return Tensor.of(x, golden.get("batch").shape());
    }

    private static int[] labels(Map<String, Tensor> golden) {
        float[] l = golden.get("labels").toFloatArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = (int) l[i];
        }
        return out;
    }

    /** The step; returns {loss, logits...}. */
    private static float[][] step(Module m, Tensor x, int[] y) {
        for (Parameter p : m.namedParameters().values()) {
            p.zeroGrad();
        }
        try (GradTape tape = GradTape.record()) {
            Tensor logits = m.forward(x);
            Tensor l = Loss.crossEntropy(logits, y);
            tape.backward(l);
            return new float[][]{l.toFloatArray(), logits.toFloatArray()};
        }
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    /** Max |got - want| relative to want's max-abs (an absolute floor for all-zero tensors). */
    private static double relErr(float[] got, float[] want) {
        assertEquals(want.length, got.length, "length");
        double d = 0;
        for (int i = 0; i < want.length; i++) {
            d = Math.max(d, Math.abs((double) got[i] - want[i]));
        }
        return d / Math.max(maxAbs(want), 1e-12);
    }

    private static void compare(String what, Module m, float[][] out, Map<String, Tensor> golden, String prefix, List<String> bad) {
        double le = Math.abs(out[0][0] - golden.get(prefix + "loss").toFloatArray()[0]) / golden.get(prefix + "loss").toFloatArray()[0];
        System.out.printf("%s loss vquant %.7f PyTorch %.7f (rel %.2e), logits rel %.2e%n", what, out[0][0],
                golden.get(prefix + "loss").toFloatArray()[0], le, relErr(out[1], golden.get(prefix + "logits").toFloatArray()));
        if (le > TOLERANCE) {
            bad.add(what + " loss rel " + le);
        }
        double le2 = relErr(out[1], golden.get(prefix + "logits").toFloatArray());
        if (le2 > TOLERANCE) {
            bad.add(what + " logits rel " + le2);
        }
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            float[] want = golden.get(prefix + "grad." + e.getKey()).toFloatArray();
            float[] got = e.getValue().grad();
            double r = relErr(got, want);
            System.out.printf("  %s grad %-28s rel %.2e (max |g| %.3e)%n", what, e.getKey(), r, maxAbs(want));
            if (r > TOLERANCE) {
                bad.add(what + " grad " + e.getKey() + " rel " + r);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fbgemm", "qnnpack"})
    void oneStepMatchesPyTorch(String qc) {
        Map<String, Tensor> golden = golden(qc);
        Tensor x = batch(golden);
        int[] y = labels(golden);
        List<String> bad = new ArrayList<>();

        Module a = start(qc, golden);
        compare(qc + " a (observers on, BN live)", a, step(a, x, y), golden, "a.", bad);
        Map<String, Tensor> after = withPrefix(golden, "a.after.");
        Map<String, Tensor> ours = a.stateDict();
        double worst = 0;
        for (Map.Entry<String, Tensor> e : after.entrySet()) {
            double r = relErr(ours.get(e.getKey()).toFloatArray(), e.getValue().toFloatArray());
            worst = Math.max(worst, r);
            if (r > TOLERANCE) {
                bad.add("a buffer " + e.getKey() + " rel " + r);
            }
        }
        System.out.printf("%s a: buffers after the step (BN running statistics, observer ranges, qparams) max rel %.2e%n", qc, worst);

        Module b = start(qc, golden);
        QatControls.freezeBnStats(b);
        QatControls.disableObserver(b);
        compare(qc + " b (BN frozen, observers off)", b, step(b, x, y), golden, "b.", bad);
        assertTrue(bad.isEmpty(), qc + ": " + bad);
    }
}
