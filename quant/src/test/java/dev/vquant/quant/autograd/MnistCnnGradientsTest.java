package dev.vquant.quant.autograd;

import dev.vquant.quant.QConfig;
import dev.vquant.quant.Quantize;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.models.mnist.MnistCnn;
import dev.vquant.quant.nn.Init;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.qat.QatControls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole training step through MnistCnn, float and fused + prepareQat: every parameter receives
 * a finite gradient that is not all zero (BN in training normalizes every channel, so no ReLU
 * leaves a channel dead on a batch of distinct images), and the forward under the tape returns
 * what it returns without one.
 */
class MnistCnnGradientsTest {

    static Tensor images(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return Tensor.of(x, n, 1, 28, 28);
    }

    static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
        }
        return y;
    }

    static Module model(String mode) {
        Init.manualSeed(7);
        MnistCnn m = new MnistCnn(3, 4, 6);
        m.train();
        if (mode.equals("float")) {
            return m;
        }
        m.fuseModel();
        m.setQConfig(QConfig.defaultQatFor(mode));
        return Quantize.prepareQat(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"float", "fbgemm", "qnnpack"})
    void everyParameterGetsAFiniteNonZeroGradient(String mode) {
        Module m = model(mode);
        Module twin = model(mode);
        Tensor x = images(3, 12);
        float[] expected = twin.forward(x).toFloatArray();
        Tensor logits;
        try (GradTape tape = GradTape.record()) {
            logits = m.forward(x);
            tape.backward(Loss.crossEntropy(logits, labels(12)));
        }
        assertArrayEquals(expected, logits.toFloatArray(), "the tape does not change the forward");
        Map<String, Parameter> params = m.namedParameters();
        assertTrue(params.size() >= 12, params.keySet().toString());
        params.forEach((name, p) -> {
            double norm = 0;
            for (float g : p.grad()) {
                assertTrue(Float.isFinite(g), name + ": non-finite gradient");
                norm += (double) g * g;
            }
            assertTrue(norm > 0, name + ": all-zero gradient");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"fbgemm", "qnnpack"})
    void frozenBnAndDisabledObserversStillTrainEveryParameter(String mode) {
        Module m = model(mode);
        m.forward(images(1, 12));   // observers see a batch before they freeze
        QatControls.freezeBnStats(m);
        QatControls.disableObserver(m);
        try (GradTape tape = GradTape.record()) {
            tape.backward(Loss.crossEntropy(m.forward(images(2, 12)), labels(12)));
        }
        m.namedParameters().forEach((name, p) -> {
            double norm = 0;
            for (float g : p.grad()) {
                assertTrue(Float.isFinite(g), name);
                norm += Math.abs(g);
            }
            assertTrue(norm > 0, name + ": all-zero gradient");
        });
        assertNull(GradTape.recording(), "no tape left open");
    }

}
