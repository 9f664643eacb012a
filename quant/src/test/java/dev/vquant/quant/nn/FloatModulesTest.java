package dev.vquant.quant.nn;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every float module: PyTorch's names, shapes, printouts, state-dict round trips and errors. */
class FloatModulesTest {

    static Tensor quantized(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.fromEngine(QTensor.of(new byte[n], shape, QParams.perTensor(0.1, 0, DType.QUINT8)));
    }

    static Tensor ramp(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 7) - 3f;
        }
        return Tensor.of(x, shape);
    }

    static void shapes(Module m, Object... keyThenShape) {
        Map<String, Tensor> sd = m.stateDict();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < keyThenShape.length; i += 2) {
            keys.add((String) keyThenShape[i]);
            assertArrayEquals((int[]) keyThenShape[i + 1], sd.get((String) keyThenShape[i]).shape(), (String) keyThenShape[i]);
        }
        assertEquals(keys, List.copyOf(sd.keySet()));
    }

    @Test
    void parameterNamesAndShapesArePyTorchs() {
        shapes(new Linear(4, 3), "weight", new int[]{3, 4}, "bias", new int[]{3});
        shapes(new Linear(4, 3, false), "weight", new int[]{3, 4});
        shapes(Conv2d.builder(6, 4, 3, 2).groups(2).build(), "weight", new int[]{4, 3, 3, 2}, "bias", new int[]{4});
        shapes(new BatchNorm2d(5), "weight", new int[]{5}, "bias", new int[]{5}, "running_mean", new int[]{5},
                "running_var", new int[]{5}, "num_batches_tracked", new int[]{});
        shapes(new LSTM(3, 2, 2, true, false, 1), "weight_ih_l0", new int[]{8, 3}, "weight_hh_l0", new int[]{8, 2},
                "bias_ih_l0", new int[]{8}, "bias_hh_l0", new int[]{8}, "weight_ih_l1", new int[]{8, 2}, "weight_hh_l1",
                new int[]{8, 2}, "bias_ih_l1", new int[]{8}, "bias_hh_l1", new int[]{8});
        assertTrue(new FloatFunctional().stateDict().isEmpty());
        assertEquals(List.of("", "activation_post_process"), List.copyOf(new FloatFunctional().namedModules().keySet()));
    }

    @Test
    void defaultInitializationIsPyTorchsAndSeeded() {
        Linear a = new Linear(100, 50, true, 7);
        Linear b = new Linear(100, 50, true, 7);
        assertArrayEquals(a.weight().data(), b.weight().data());
        assertFalse(java.util.Arrays.equals(a.weight().data(), new Linear(100, 50, true, 8).weight().data()));
        double bound = 1 / Math.sqrt(100);
        float max = 0;
        for (float v : a.weight().data()) {
            assertTrue(Math.abs(v) <= bound, "kaiming-uniform bound 1/sqrt(fan_in)");
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.9 * bound, "the draws cover the range");
        Conv2d c = Conv2d.builder(8, 4, 3).groups(2).seed(1).build();
        for (float v : c.weight().data()) {
            assertTrue(Math.abs(v) <= 1 / Math.sqrt(4 * 9), "fan_in = in/groups * kh * kw");
        }
        BatchNorm2d bn = new BatchNorm2d(3);
        assertArrayEquals(new float[]{1, 1, 1}, bn.weight().data());
        assertArrayEquals(new float[]{1, 1, 1}, bn.runningVar().data());
    }

    @Test
    void printoutsArePyTorchs() {
        assertEquals("Linear(in_features=4, out_features=3, bias=True)", new Linear(4, 3).toString());
        assertEquals("Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)",
                Conv2d.builder(1, 16, 3).padding(1).bias(false).build().toString());
        assertEquals("Conv2d(32, 32, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), groups=32)",
                Conv2d.builder(32, 32, 3).stride(2).padding(1).dilation(2).groups(32).build().toString());
        assertEquals("BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", new BatchNorm2d(16).toString());
        assertEquals("BatchNorm1d(8, eps=0.001, momentum=None, affine=True, track_running_stats=True)",
                new BatchNorm1d(8, 1e-3, null, true, true).toString());
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", AvgPool2d.builder(3).stride(2).padding(1).build().toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(2, 3))", new AdaptiveAvgPool2d(2, 3).toString());
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
        assertEquals("Dropout(p=0.5, inplace=False)", new Dropout().toString());
        assertEquals("LSTM(10, 20, num_layers=2, batch_first=True)", new LSTM(10, 20, 2, true, true, 0).toString());
        assertEquals("Sequential(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): ReLU()\n)",
                new Sequential(new Linear(2, 2), new ReLU()).toString());
    }

    @Test
    void stateDictRoundTripsThroughEveryParameterizedModule() {
        for (java.util.function.Supplier<Module> make : List.<java.util.function.Supplier<Module>>of(
                () -> new Linear(5, 3), () -> Conv2d.builder(4, 6, 3).groups(2).build(), () -> new BatchNorm2d(4),
                () -> new BatchNorm1d(4), () -> new LSTM(3, 2, 2, true, true, Init.nextSeed()))) {
            Module a = make.get();
            Module b = make.get();
            assertTrue(b.loadStateDict(a.stateDict()).isClean());
            a.stateDict().forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.stateDict().get(k).toFloatArray(), k));
        }
    }

    @Test
    void aParameterChangeRepacksTheOperator() {
        Linear l = new Linear(2, 1, false, 0);
        l.weight().copyFrom(new float[]{1, 2});
        assertArrayEquals(new float[]{5}, l.forward(Tensor.of(new float[]{1, 2}, 1, 2)).toFloatArray());
        l.loadStateDict(Map.of("weight", Tensor.of(new float[]{3, 0}, 1, 2)));
        assertArrayEquals(new float[]{3}, l.forward(Tensor.of(new float[]{1, 2}, 1, 2)).toFloatArray());
        l.weight().data()[1] = 1;
        l.weight().markModified();
        assertArrayEquals(new float[]{5}, l.forward(Tensor.of(new float[]{1, 2}, 1, 2)).toFloatArray());
    }

    @Test
    void aQuantizedTensorReachingAFloatModuleIsNamed() {
        for (Module m : List.of(new Linear(4, 2), Conv2d.builder(2, 2, 1).build(), new BatchNorm2d(2), new ReLU(), new MaxPool2d(1),
                new AdaptiveAvgPool2d(1), new LSTM(4, 2))) {
            Tensor q = m instanceof Linear || m instanceof LSTM ? quantized(1, 2, 4) : quantized(1, 2, 2, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(q), m.toString());
            assertTrue(e.getMessage().contains("quantized") && e.getMessage().contains("DeQuantStub") && e.getMessage().contains(m.toString()),
                    e.getMessage());
        }
        FloatFunctional f = new FloatFunctional();
        assertThrows(IllegalArgumentException.class, () -> f.add(quantized(1, 2), quantized(1, 2)));
    }

    @Test
    void badShapesAndSettingsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Linear(4, 2).forward(ramp(3, 5)));
        assertTrue(e.getMessage().contains("[*, 4]") && e.getMessage().contains("[3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 2, 3).forward(ramp(1, 2, 5, 5)));
        assertTrue(e.getMessage().contains("[N, 3, H, W]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 2, 3).forward(ramp(1, 3, 2, 2)));
        assertTrue(e.getMessage().contains("smaller than the dilated kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 3).groups(2).build());
        assertTrue(e.getMessage().contains("divisible by groups 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 3).stride(0).build());
        assertTrue(e.getMessage().startsWith("Conv2d: stride"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(ramp(2, 4, 2, 2)));
        assertTrue(e.getMessage().contains("expected 3 channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(ramp(1, 3)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MaxPool2d.builder(2).padding(2).build());
        assertTrue(e.getMessage().contains("half"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(ramp(2, 3)));
        assertTrue(e.getMessage().contains("4-D"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertThrows(IllegalArgumentException.class, () -> Flatten.apply(ramp(2, 3), 0, 2));
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> new FloatFunctional().forward(ramp(1)));
        assertTrue(u.getMessage().contains("add"), u.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FloatFunctional().add(ramp(1, 2), ramp(2, 1)));
        assertTrue(e.getMessage().contains("same shape"), e.getMessage());
    }

    @Test
    void flattenGivesPyTorchsLogicalOrderFromEitherMemoryFormat() {
        Tensor x = ramp(2, 3, 2, 2);
        float[] logical = x.toFloatArray();
        for (Tensor t : List.of(x, x.toChannelsLast())) {
            Tensor f = new Flatten().forward(t);
            assertArrayEquals(new int[]{2, 12}, f.shape());
            assertArrayEquals(logical, f.toFloatArray());
            Tensor g = Flatten.apply(t, 2);
            assertArrayEquals(new int[]{2, 3, 4}, g.shape());
            assertArrayEquals(logical, g.toFloatArray());
            assertArrayEquals(logical, Flatten.apply(t, 0, -1).toFloatArray());
        }
        Tensor q = Tensor.fromEngine(QTensor.of(new byte[]{1, 2, 3, 4, 5, 6}, new int[]{1, 1, 2, 3}, QParams.perTensor(1, 0, DType.QUINT8)));
        // NHWC [1,1,2,3] is logical [1,3,1,2]: channel-major flatten reads 1,4 | 2,5 | 3,6
        assertArrayEquals(new byte[]{1, 4, 2, 5, 3, 6}, new Flatten().forward(q).engineQuantized("test").bytes());
    }

    @Test
    void elementwiseModulesKeepTheMemoryFormat() {
        Tensor x = ramp(1, 2, 2, 3).toChannelsLast();
        Tensor y = new ReLU().forward(x);
        assertEquals(Tensor.MemoryFormat.CHANNELS_LAST, y.memoryFormat());
        float[] in = x.toFloatArray();
        float[] out = y.toFloatArray();
        for (int i = 0; i < in.length; i++) {
            assertEquals(Math.max(in[i], 0f), out[i]);
        }
        assertArrayEquals(new float[]{0f, 0f, 6f}, new ReLU6().forward(Tensor.of(new float[]{-1f, 0f, 7f}, 3)).toFloatArray());
        assertEquals(2f / 3f, new Hardswish().forward(Tensor.of(new float[]{1f}, 1)).toFloatArray()[0], 1e-7);
        assertEquals(0.5f, new Sigmoid().forward(Tensor.of(new float[]{0f}, 1)).toFloatArray()[0]);
    }

    @Test
    void floatFunctionalOperationsInAnyMemoryFormat() {
        FloatFunctional f = new FloatFunctional();
        Tensor a = ramp(1, 2, 2, 2);
        Tensor b = a.toChannelsLast();
        float[] x = a.toFloatArray();
        float[] sum = f.add(a, b).toFloatArray();
        float[] sumRelu = f.addRelu(b, a).toFloatArray();
        float[] prod = f.mul(a, b).toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(2 * x[i], sum[i]);
            assertEquals(Math.max(2 * x[i], 0), sumRelu[i]);
            assertEquals(x[i] * x[i], prod[i]);
        }
        assertEquals(x[3] + 1.5f, f.addScalar(b, 1.5).toFloatArray()[3]);
        assertEquals(x[3] * 2f, f.mulScalar(a, 2).toFloatArray()[3]);
        for (int dim : new int[]{1, 2, 3, 0, -1}) {
            Tensor cl = f.cat(List.of(a, b), dim);
            Tensor plain = f.cat(List.of(a, a), dim);
            int[] shape = {1, 2, 2, 2};
            shape[Math.floorMod(dim, 4)] *= 2;
            assertArrayEquals(shape, cl.shape(), "dim " + dim);
            assertArrayEquals(plain.toFloatArray(), cl.toFloatArray(), "dim " + dim);
        }
        // cat along channels: the first tensor's channels, then the second's
        float[] c = f.cat(List.of(a, b), 1).toFloatArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(x, 0, 8), java.util.Arrays.copyOfRange(c, 0, 8));
        assertArrayEquals(x, java.util.Arrays.copyOfRange(c, 8, 16));
    }

    @Test
    void dropoutIsTheIdentityInEvalAndSeededInTraining() {
        Tensor x = ramp(4, 50);
        Dropout d = new Dropout(0.5, 3);
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        float[] y1 = d.forward(x).toFloatArray();
        float[] y2 = new Dropout(0.5, 3).forward(x).toFloatArray();
        assertArrayEquals(y1, y2, "same seed, same mask");
        float[] in = x.toFloatArray();
        int zeros = 0;
        for (int i = 0; i < in.length; i++) {
            if (y1[i] == 0 && in[i] != 0) {
                zeros++;
            } else {
                assertEquals(in[i] * 2f, y1[i]);
            }
        }
        assertTrue(zeros > 60 && zeros < 140, "about half of 200 dropped: " + zeros);
    }

    @Test
    void lstmMatchesTheRecurrence() {
        LSTM lstm = new LSTM(3, 2, 1, true, true, 5);
        Tensor x = ramp(1, 2, 3); // batch 1, 2 steps
        LSTM.Output out = lstm.forwardWithState(x, null, null);
        assertArrayEquals(new int[]{1, 2, 2}, out.output().shape());
        double[] h = new double[2];
        double[] c = new double[2];
        float[] xs = x.toFloatArray();
        float[] y = out.output().toFloatArray();
        float[] wi = lstm.weightIh(0).data();
        float[] wh = lstm.weightHh(0).data();
        for (int t = 0; t < 2; t++) {
            double[] g = new double[8];
            for (int j = 0; j < 8; j++) {
                g[j] = lstm.biasIh(0).data()[j] + lstm.biasHh(0).data()[j];
                for (int k = 0; k < 3; k++) {
                    g[j] += wi[j * 3 + k] * (double) xs[t * 3 + k];
                }
                for (int k = 0; k < 2; k++) {
                    g[j] += wh[j * 2 + k] * h[k];
                }
            }
            for (int u = 0; u < 2; u++) {
                double i = 1 / (1 + Math.exp(-g[u]));
                double f = 1 / (1 + Math.exp(-g[2 + u]));
                double gg = Math.tanh(g[4 + u]);
                double o = 1 / (1 + Math.exp(-g[6 + u]));
                c[u] = f * c[u] + i * gg;
                h[u] = o * Math.tanh(c[u]);
                assertEquals(h[u], y[t * 2 + u], 1e-5, "h at step " + t);
            }
        }
        assertEquals(h[1], out.h().toFloatArray()[1], 1e-5);
        assertEquals(c[0], out.c().toFloatArray()[0], 1e-5);
    }

    @Test
    void deepCopyIsIndependent() {
        Sequential s = new Sequential(new Linear(2, 2, true, 1), new ReLU(), new BatchNorm1d(2));
        s.eval();
        Tensor x = ramp(3, 2);
        float[] before = s.forward(x).toFloatArray();
        Sequential copy = (Sequential) s.deepCopy();
        assertNotSame(s.get(0), copy.get(0));
        assertNotSame(((Linear) s.get(0)).weight(), ((Linear) copy.get(0)).weight());
        assertFalse(copy.isTraining());
        assertArrayEquals(before, copy.forward(x).toFloatArray());
        ((Linear) copy.get(0)).weight().copyFrom(new float[]{0, 0, 0, 0});
        copy.setSubmodule("1", new Identity());
        assertArrayEquals(before, s.forward(x).toFloatArray(), "the original is unchanged");
        assertTrue(s.get(1) instanceof ReLU);
        Map<String, Tensor> sd = new LinkedHashMap<>(copy.stateDict());
        assertEquals(s.stateDict().keySet(), sd.keySet());
    }
}
