package dev.vquant.quant.models.vision;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.io.StateDicts;
import dev.vquant.quant.models.mobilenet.MobileNetV2;
import dev.vquant.quant.models.resnet.ResNet;
import dev.vquant.quant.nn.BatchNorm2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The torchvision models' construction: torchvision's initialisation (distributions, seeded),
 * state dicts through safetensors, fuse groups, configuration (classes, width) and the errors of
 * bad arguments.
 */
class VisionModelsTest {

    @Test
    void resnetInitialisationIsTorchvisions() {
        ResNet model = ResNet.resnet18(10, 3);
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d conv && conv.weight().numel() >= 9408) {
                int[] s = conv.weight().shape();
                double expected = Math.sqrt(2.0 / (s[0] * s[2] * s[3]));
                double std = std(conv.weight().data());
                assertEquals(expected, std, 0.05 * expected, e.getKey() + ": kaiming_normal_ fan_out std");
            } else if (e.getValue() instanceof BatchNorm2d bn) {
                for (int c = 0; c < bn.numFeatures(); c++) {
                    assertEquals(1f, bn.weight().data()[c]);
                    assertEquals(0f, bn.bias().data()[c]);
                    assertEquals(0f, bn.runningMean().data()[c]);
                    assertEquals(1f, bn.runningVar().data()[c]);
                }
            }
        }
        Linear fc = (Linear) model.getSubmodule("fc");
        double bound = 1 / Math.sqrt(512);
        assertTrue(maxAbs(fc.weight().data()) <= bound && maxAbs(fc.weight().data()) > 0.95 * bound, "fc: U(-1/sqrt(512), 1/sqrt(512))");
        assertTrue(maxAbs(fc.bias().data()) <= bound && maxAbs(fc.bias().data()) > 0, "fc bias: nn.Linear's default");
    }

    @Test
    void mobileNetInitialisationIsTorchvisions() {
        MobileNetV2 model = MobileNetV2.mobilenetV2(1000, 1.0, 3);
        Conv2d depthwise = (Conv2d) model.getSubmodule("features.2.conv.1.0");
        assertEquals(96, depthwise.groups());
        assertEquals(Math.sqrt(2.0 / (96 * 9)), std(depthwise.weight().data()), 0.1 * Math.sqrt(2.0 / (96 * 9)),
                "depthwise kaiming_normal_ fan_out = out_channels * kH * kW");
        Linear classifier = (Linear) model.getSubmodule("classifier.1");
        assertEquals(0.01, std(classifier.weight().data()), 0.0005, "classifier.1: normal(0, 0.01)");
        assertEquals(0.0, maxAbs(classifier.bias().data()), "classifier.1 bias zeros");
    }

    @Test
    void sameSeedSameWeightsOtherSeedOthers() {
        float[] a = MobileNetV2.mobilenetV2(10, 0.5, 5).stateDict().get("features.3.conv.0.0.weight").toFloatArray();
        float[] b = MobileNetV2.mobilenetV2(10, 0.5, 5).stateDict().get("features.3.conv.0.0.weight").toFloatArray();
        float[] c = MobileNetV2.mobilenetV2(10, 0.5, 6).stateDict().get("features.3.conv.0.0.weight").toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void stateDictRoundTripsThroughSafetensors(@TempDir Path dir) throws Exception {
        MobileNetV2 source = MobileNetV2.mobilenetV2(10, 0.5, 1);
        Path file = dir.resolve("mobilenet_v2.safetensors");
        StateDicts.save(file, source.stateDict());
        MobileNetV2 target = MobileNetV2.mobilenetV2(10, 0.5, 2);
        target.loadStateDict(StateDicts.load(file));
        Map<String, Tensor> a = source.stateDict();
        Map<String, Tensor> b = target.stateDict();
        assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()));
        a.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.get(k).toFloatArray(), k));
        source.eval();
        target.eval();
        Tensor x = SyntheticCalibration.images(3, 1, 32).get(0);
        assertArrayEquals(source.forward(x).toFloatArray(), target.forward(x).toFloatArray());

        ResNet r18 = ResNet.resnet18(10, 1);
        ResNet other = ResNet.resnet18(10, 2);
        other.loadStateDict(r18.stateDict());
        r18.eval();
        other.eval();
        assertArrayEquals(r18.forward(x).toFloatArray(), other.forward(x).toFloatArray());
    }

    @Test
    void fuseGroupsAreTorchvisions() {
        List<List<String>> r18 = ResNet.resnet18(10, 1).fuseGroups();
        assertEquals(List.of("conv1", "bn1", "relu"), r18.get(0));
        assertEquals(List.of("layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu"), r18.get(1));
        assertEquals(List.of("layer1.0.conv2", "layer1.0.bn2"), r18.get(2));
        assertTrue(r18.contains(List.of("layer2.0.downsample.0", "layer2.0.downsample.1")));
        assertEquals(1 + 8 * 2 + 3, r18.size(), "stem, two per BasicBlock, three downsamples");
        List<List<String>> r50 = ResNet.resnet50(10, 1).fuseGroups();
        assertEquals(List.of("layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu1"), r50.get(1));
        assertEquals(List.of("layer1.0.conv2", "layer1.0.bn2", "layer1.0.relu2"), r50.get(2));
        assertEquals(List.of("layer1.0.conv3", "layer1.0.bn3"), r50.get(3));
        assertEquals(List.of("layer1.0.downsample.0", "layer1.0.downsample.1"), r50.get(4));
        assertEquals(1 + 16 * 3 + 4, r50.size(), "stem, three per Bottleneck, four downsamples");
        List<List<String>> mv2 = MobileNetV2.mobilenetV2(10, 1.0, 1).fuseGroups();
        assertEquals(List.of("features.0.0", "features.0.1", "features.0.2"), mv2.get(0));
        assertEquals(List.of("features.1.conv.0.0", "features.1.conv.0.1", "features.1.conv.0.2"), mv2.get(1));
        assertEquals(List.of("features.1.conv.1", "features.1.conv.2"), mv2.get(2));
        assertEquals(List.of("features.2.conv.2", "features.2.conv.3"), mv2.get(5));
        assertEquals(List.of("features.18.0", "features.18.1", "features.18.2"), mv2.get(mv2.size() - 1));
        assertEquals(1 + 2 + 16 * 3 + 1, mv2.size());
    }

    @Test
    void widthAndClassesAreConfigurableAsTorchvisions() {
        MobileNetV2 narrow = MobileNetV2.mobilenetV2(10, 0.5, 1);
        assertArrayEquals(new int[]{16, 3, 3, 3}, narrow.stateDict().get("features.0.0.weight").shape());
        assertEquals(1280, narrow.lastChannel(), "last_channel = _make_divisible(1280 * max(1, width_mult))");
        assertArrayEquals(new int[]{10, 1280}, narrow.stateDict().get("classifier.1.weight").shape());
        assertEquals(1600, MobileNetV2.mobilenetV2(10, 1.25, 1).lastChannel());
        assertArrayEquals(new int[]{8, 3, 3, 3}, MobileNetV2.mobilenetV2(10, 0.1, 1).stateDict().get("features.0.0.weight").shape());
        assertArrayEquals(new int[]{7, 2048}, ResNet.resnet50(7, 1).stateDict().get("fc.weight").shape());
        narrow.eval();
        assertArrayEquals(new int[]{2, 10}, narrow.forward(Tensor.of(new float[2 * 3 * 32 * 32], 2, 3, 32, 32)).shape());
    }

    @Test
    void fittedBatchNormStatisticsAreThoseOfItsInput() {
        Conv2d conv = Conv2d.builder(3, 4, 3).bias(false).seed(3).build();
        BatchNorm2d bn = new BatchNorm2d(4);
        dev.vquant.quant.nn.Sequential model = new dev.vquant.quant.nn.Sequential(conv, bn);
        model.eval();
        List<Tensor> images = SyntheticCalibration.images(4, 3, 8);
        SyntheticCalibration.fitBatchNormStatistics(model, images);
        assertFalse(model.isTraining(), "the mode is restored");
        assertTrue(model.getSubmodule("1") == bn, "the original batch norm is back in place");
        int plane = 6 * 6;
        double[] sum = new double[4];
        double[] sumSq = new double[4];
        for (Tensor x : images) {
            float[] y = conv.forward(x).contiguous().toFloatArray();
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < plane; i++) {
                    sum[c] += y[c * plane + i];
                    sumSq[c] += (double) y[c * plane + i] * y[c * plane + i];
                }
            }
        }
        int n = 3 * plane;
        for (int c = 0; c < 4; c++) {
            double mean = sum[c] / n;
            double var = (sumSq[c] - n * mean * mean) / (n - 1);
            assertEquals(mean, bn.runningMean().data()[c], 1e-4 + 1e-4 * Math.abs(mean), "running_mean " + c);
            assertEquals(var, bn.runningVar().data()[c], 1e-4 * var, "running_var (unbiased) " + c);
        }
        assertEquals(1f, bn.numBatchesTracked().data()[0]);
        assertEquals(0.1, bn.momentum(), "momentum untouched");
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticCalibration.fitBatchNormStatistics(model, SyntheticCalibration.images(4, 1, 8)));
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResNet.resnet18(0, 1)).getMessage().contains("num_classes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MobileNetV2.mobilenetV2(10, 0, 1)).getMessage()
                .contains("width_mult"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MobileNetV2.mobilenetV2(10, Double.NaN, 1)).getMessage()
                .contains("width_mult"));
        MobileNetV2 fused = MobileNetV2.mobilenetV2(10, 0.5, 1);
        fused.eval();
        fused.fuseModel();
        assertThrows(IllegalArgumentException.class, fused::fuseModel, "fusing twice fails, as in PyTorch");
        ResNet r18 = ResNet.resnet18(10, 1);
        r18.eval();
        IllegalArgumentException wrongChannels = assertThrows(IllegalArgumentException.class,
                () -> r18.forward(Tensor.of(new float[32 * 32], 1, 1, 32, 32)));
        assertTrue(wrongChannels.getMessage().contains("[N, 3, H, W]"), wrongChannels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyntheticCalibration.images(1, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> SyntheticCalibration.quantizeStatic(r18,
                dev.vquant.quant.QConfig.defaultFor("fbgemm"), List.of()));
    }

    private static double std(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (float x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
