package dev.vquant.quant;

import dev.vquant.quant.models.mnist.MnistCnn;
import dev.vquant.quant.models.mnist.MnistMlp;
import dev.vquant.quant.nn.BatchNorm1d;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Identity;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.ReLU6;
import dev.vquant.quant.nn.Sequential;
import dev.vquant.quant.nn.intrinsic.BNReLU2d;
import dev.vquant.quant.nn.intrinsic.ConvBn2d;
import dev.vquant.quant.nn.intrinsic.ConvBnReLU2d;
import dev.vquant.quant.nn.intrinsic.ConvReLU2d;
import dev.vquant.quant.nn.intrinsic.LinearBn1d;
import dev.vquant.quant.nn.intrinsic.LinearReLU;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which module each pattern becomes in eval and QAT fusion, the folded results, and the errors. */
class FuserTest {

    static void randomize(BatchNorm2d bn, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int c = 0; c < bn.numFeatures(); c++) {
            bn.weight().data()[c] = (float) r.nextDouble(0.5, 2);
            bn.bias().data()[c] = (float) r.nextDouble(-1, 1);
            bn.runningMean().data()[c] = (float) r.nextDouble(-1, 1);
            bn.runningVar().data()[c] = (float) r.nextDouble(0.2, 2);
        }
    }

    static Tensor input(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(x, shape);
    }

    @Test
    void evalFusionFoldsAndKeepsTheOutput() {
        BatchNorm2d bn = new BatchNorm2d(4);
        randomize(bn, 1);
        Sequential s = new Sequential(Conv2d.builder(3, 4, 3).padding(1).build(), bn, new ReLU(), new BatchNorm2d(4), new ReLU());
        randomize((BatchNorm2d) s.get(3), 2);
        s.eval();
        Tensor x = input(3, 2, 3, 5, 5);
        float[] before = s.forward(x).toFloatArray();
        Module f = Fuser.fuseModules(s, List.of(List.of("0", "1", "2"), List.of("3", "4")));
        assertInstanceOf(ConvReLU2d.class, f.getSubmodule("0"));
        assertInstanceOf(Identity.class, f.getSubmodule("1"));
        assertInstanceOf(Identity.class, f.getSubmodule("2"));
        assertInstanceOf(BNReLU2d.class, f.getSubmodule("3"));
        assertEquals(List.of("0.0.weight", "0.0.bias", "3.0.weight", "3.0.bias", "3.0.running_mean", "3.0.running_var",
                "3.0.num_batches_tracked"), List.copyOf(f.stateDict().keySet()));
        float[] after = f.forward(x).toFloatArray();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 1e-5 * (1 + Math.abs(before[i])), "output " + i);
        }
        assertInstanceOf(Conv2d.class, s.get(0), "a copy was fused");
    }

    @Test
    void linearPatterns() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.weight().copyFrom(new float[]{2, 1, 0.5f});
        bn.runningMean().copyFrom(new float[]{1, 0, -1});
        bn.runningVar().copyFrom(new float[]{4, 1, 0.25f});
        Sequential s = new Sequential(new Linear(4, 3, true, 1), bn, new Linear(3, 3, true, 2), new ReLU());
        s.eval();
        Tensor x = input(4, 5, 4);
        float[] before = s.forward(x).toFloatArray();
        Module f = Fuser.fuseModules(s, List.of(List.of("0", "1"), List.of("2", "3")), true);
        assertSame(s, f);
        assertInstanceOf(Linear.class, s.get(0));
        assertInstanceOf(LinearReLU.class, s.get(2));
        float[] after = s.forward(x).toFloatArray();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 1e-5 * (1 + Math.abs(before[i])), "output " + i);
        }
    }

    @Test
    void qatFusionKeepsBatchNormApart() {
        Sequential s = new Sequential(new Conv2d(2, 2, 1), new BatchNorm2d(2), new ReLU(), new Conv2d(2, 2, 1), new BatchNorm2d(2),
                new Linear(2, 2), new BatchNorm1d(2), new Conv2d(2, 2, 1), new ReLU());
        Module f = Fuser.fuseModulesQat(s, List.of(List.of("0", "1", "2"), List.of("3", "4"), List.of("5", "6"), List.of("7", "8")));
        assertInstanceOf(ConvBnReLU2d.class, f.getSubmodule("0"));
        assertInstanceOf(ConvBn2d.class, f.getSubmodule("3"));
        assertInstanceOf(LinearBn1d.class, f.getSubmodule("5"));
        assertInstanceOf(ConvReLU2d.class, f.getSubmodule("7"));
        assertTrue(f.getSubmodule("0").isTraining() && f.getSubmodule("1").isTraining());
        assertTrue(f.stateDict().containsKey("0.1.running_var"), "the BN's state stays under its part name");
    }

    @Test
    void mnistFuseModelInBothModes() {
        MnistCnn eval = MnistCnn.cnnMicro();
        eval.eval();
        eval.fuseModel();
        assertInstanceOf(ConvReLU2d.class, eval.getSubmodule("stem1.0"));
        assertInstanceOf(Conv2d.class, eval.getSubmodule("res.conv2.0"));
        assertInstanceOf(Identity.class, eval.getSubmodule("res.conv2.1"));
        assertEquals(eval.forward(input(1, 1, 1, 28, 28)).shape()[1], 10);
        MnistCnn train = MnistCnn.cnnMicro();
        train.fuseModel();
        assertInstanceOf(ConvBnReLU2d.class, train.getSubmodule("dw.0"));
        assertInstanceOf(ConvBn2d.class, train.getSubmodule("res.conv2.0"));
        MnistMlp mlp = MnistMlp.mlp().fuseModel();
        assertInstanceOf(LinearReLU.class, mlp.getSubmodule("fc1"));
        assertInstanceOf(Identity.class, mlp.getSubmodule("relu2"));
        assertEquals(List.of("fc1.0.weight", "fc1.0.bias", "fc2.0.weight", "fc2.0.bias", "fc3.weight", "fc3.bias"),
                List.copyOf(mlp.stateDict().keySet()));
    }

    @Test
    void fusingACopyOfAModelLeavesTheModelAlone() {
        MnistCnn model = MnistCnn.cnnTiny();
        for (Module m : model.namedModules().values()) {
            if (m instanceof BatchNorm2d bn) {
                randomize(bn, bn.numFeatures());
            }
        }
        model.eval();
        Tensor x = input(9, 2, 1, 28, 28);
        float[] before = model.forward(x).toFloatArray();
        Module fused = Fuser.fuseModules(model, MnistCnn.FUSE_GROUPS);
        assertInstanceOf(Conv2d.class, model.getSubmodule("stem1.0"));
        assertInstanceOf(BatchNorm2d.class, model.getSubmodule("res.conv2.1"));
        assertInstanceOf(ConvReLU2d.class, fused.getSubmodule("stem1.0"));
        assertInstanceOf(Identity.class, fused.getSubmodule("res.conv2.1"));
        float[] after = fused.forward(x).toFloatArray();
        assertArrayEquals(before, model.forward(x).toFloatArray(), "the original still runs unfused");
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 1e-4 * (1 + Math.abs(before[i])), "logit " + i);
        }
    }

    @Test
    void errorsNameTheProblem() {
        Sequential s = new Sequential(new Conv2d(2, 2, 1), new BatchNorm2d(2), new ReLU6());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fuser.fuseModules(s, List.of(List.of("0", "nope"))));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fuser.fuseModules(s, List.of(List.of("0", "2"))));
        assertTrue(e.getMessage().contains("[Conv2d, ReLU6]") && e.getMessage().contains("supported patterns: (Conv2d, BatchNorm2d)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fuser.fuseModules(s, List.of(List.of("0", "1"))));
        assertTrue(e.getMessage().contains("eval"), "training-mode BN cannot be folded: " + e.getMessage());
        s.getSubmodule("1").eval();
        e = assertThrows(IllegalArgumentException.class, () -> Fuser.fuseModules(s, List.of(List.of("0", "1"))));
        assertTrue(e.getMessage().contains("same mode"), e.getMessage());
        Sequential wrong = new Sequential(new Conv2d(2, 3, 1), new BatchNorm2d(2));
        wrong.eval();
        e = assertThrows(IllegalArgumentException.class, () -> Fuser.fuseModules(wrong, List.of(List.of("0", "1"))));
        assertTrue(e.getMessage().contains("features"), e.getMessage());
    }

    @Test
    void foldingOrderIsPyTorchs() {
        // (b - mean) * rsqrt * gamma + beta for convolutions, (b - mean) * (gamma * rsqrt) + beta for linear
        Fuser.Folded conv = Fuser.foldConvBnWeights(new float[]{1f}, new float[]{0.3f}, 1, new float[]{0.1f}, new float[]{3f}, 1e-5,
                new float[]{0.7f}, new float[]{0.2f});
        float r = 1f / (float) Math.sqrt(3f + 1e-5f);
        assertArrayEquals(new float[]{1f * (0.7f * r)}, conv.weight());
        assertArrayEquals(new float[]{(0.3f - 0.1f) * r * 0.7f + 0.2f}, conv.bias());
        Fuser.Folded lin = Fuser.foldLinearBnWeights(new float[]{1f}, null, 1, new float[]{0.1f}, new float[]{3f}, 1e-5,
                new float[]{0.7f}, new float[]{0.2f});
        assertArrayEquals(new float[]{(0f - 0.1f) * (0.7f * r) + 0.2f}, lin.bias());
    }
}
