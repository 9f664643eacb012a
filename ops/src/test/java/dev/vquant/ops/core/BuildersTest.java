package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.convert.Quantize;
import dev.vquant.ops.elementwise.FloatAdd;
import dev.vquant.ops.elementwise.QAdd;
import dev.vquant.ops.elementwise.QCat;
import dev.vquant.ops.elementwise.QHardswish;
import dev.vquant.ops.elementwise.QMul;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.ops.nn.FloatLayerNorm;
import dev.vquant.ops.pool.FloatAdaptiveAvgPool2d;
import dev.vquant.ops.pool.FloatPool2d;
import dev.vquant.ops.pool.QAdaptiveAvgPool2d;
import dev.vquant.ops.pool.QAvgPool2d;
import dev.vquant.ops.pool.QMaxPool2d;
import dev.vquant.ops.rnn.Lstm;
import dev.vquant.ops.testing.Engines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operators' builders: PyTorch's defaults, and a message naming what is missing. */
class BuildersTest {

    @Test
    void binaryBuilderWithoutOutputNamesTheCall() {
        IllegalArgumentException add = assertThrows(IllegalArgumentException.class, () -> QAdd.builder().relu(true).build());
        assertTrue(add.getMessage().contains("Add: the output qparams were never set; call output(scale, zeroPoint)"),
                add.getMessage());
        IllegalArgumentException mul = assertThrows(IllegalArgumentException.class, () -> QMul.builder().build());
        assertTrue(mul.getMessage().startsWith("Mul:"), mul.getMessage());
    }

    @Test
    void poolingStrideDefaultsToTheKernelAsInPyTorch() {
        byte[] data = new byte[2 * 6 * 6 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37);
        }
        QTensor x = QTensor.of(data, new int[] {2, 6, 6, 3}, QParams.perTensor(0.1, 3, DType.QUINT8));
        byte[] viaGeometry = QMaxPool2d.builder(ConvGeometry.square(2, 2, 0)).build().forward(x, Engines.reference()).bytes();
        assertArrayEquals(viaGeometry, QMaxPool2d.builder(2).build().forward(x, Engines.reference()).bytes());
        byte[] avgGeometry = QAvgPool2d.builder(new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1)).countIncludePad(false).build()
                .forward(x, Engines.reference()).bytes();
        assertArrayEquals(avgGeometry, QAvgPool2d.builder(3).stride(1).padding(1).countIncludePad(false).build()
                .forward(x, Engines.reference()).bytes());
    }

    @Test
    void convolutionWindowFromTheWeightNeedsNoGeometry() {
        byte[] w = new byte[4 * 3 * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (i * 29 - 60);
        }
        QTensor weight = QTensor.of(w, new int[] {4, 3, 3, 3}, QParams.perTensor(0.02, 0, DType.QINT8));
        byte[] data = new byte[1 * 7 * 7 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 53);
        }
        QTensor x = QTensor.of(data, new int[] {1, 7, 7, 3}, QParams.perTensor(0.1, 3, DType.QUINT8));
        byte[] viaGeometry = QConv2d.builder(weight, ConvGeometry.square(3, 2, 1)).output(0.3, 100).engine(Engines.reference())
                .build().forward(x, Engines.reference()).bytes();
        assertArrayEquals(viaGeometry, QConv2d.builder(weight).stride(2).padding(1).output(0.3, 100).engine(Engines.reference())
                .build().forward(x, Engines.reference()).bytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QConv2d.builder(weight).stride(0).output(0.3, 100).build());
        assertTrue(e.getMessage().contains("Conv2d") && e.getMessage().contains("stride"), e.getMessage());
        IllegalArgumentException noOutput = assertThrows(IllegalArgumentException.class, () -> QConv2d.builder(weight).build());
        assertTrue(noOutput.getMessage().contains("call output(scale, zeroPoint)"), noOutput.getMessage());
    }

    @Test
    void badWindowIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QMaxPool2d.builder(0).build());
        assertTrue(e.getMessage().startsWith("MaxPool2d: kernel size must be > 0"), e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> QAvgPool2d.builder((ConvGeometry) null).build());
        assertTrue(n.getMessage().contains("AvgPool2d") && n.getMessage().contains("geometry"), n.getMessage());
    }

    @Test
    void catAndHardswishWithoutOutputNameTheCall() {
        IllegalArgumentException cat = assertThrows(IllegalArgumentException.class, () -> QCat.builder(3).build());
        assertTrue(cat.getMessage().startsWith("Cat: the output qparams were never set; call output(scale, zeroPoint)"),
                cat.getMessage());
        IllegalArgumentException hs = assertThrows(IllegalArgumentException.class, () -> QHardswish.builder().threads(2).build());
        assertTrue(hs.getMessage().startsWith("Hardswish: the output qparams were never set"), hs.getMessage());
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> QCat.builder(-1).output(0.1, 0).build());
        assertTrue(dim.getMessage().startsWith("Cat: dimension must be >= 0"), dim.getMessage());
    }

    @Test
    void catBuiltFromItsOptionsUsesThem() {
        QTensor a = QTensor.of(new byte[] {1, 2, 3, 4}, new int[] {1, 1, 2, 2}, QParams.perTensor(0.1, 0, DType.QUINT8));
        QTensor y = QCat.builder(3).output(0.2, 5).build().forward(java.util.List.of(a, a));
        assertArrayEquals(new int[] {1, 1, 2, 4}, y.shape());
        assertEquals(0.2, y.qparams().scale(0));
        assertEquals(5, y.qparams().zeroPoint(0));
    }

    @Test
    void quantizeNeedsItsQParamsAndDefaultsToQuint8() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantize.builder().dtype(DType.QINT8).build());
        assertTrue(e.getMessage().startsWith("Quantize: the output qparams were never set; call output(scale, zeroPoint)"),
                e.getMessage());
        QTensor q = Quantize.builder().output(0.5, 3).build()
                .forward(dev.vquant.engine.FloatTensor.of(new float[] {1f, -1f}, new int[] {2}), Engines.reference());
        assertEquals(DType.QUINT8, q.qparams().dtype());
        assertArrayEquals(new byte[] {5, 1}, q.bytes());
        QTensor s = Quantize.builder().output(0.5, 0).dtype(DType.QINT8).build()
                .forward(dev.vquant.engine.FloatTensor.of(new float[] {-1f}, new int[] {1}), Engines.reference());
        assertArrayEquals(new byte[] {-2}, s.bytes());
    }

    @Test
    void adaptivePoolingTakesPyTorchsOutputSize() {
        byte[] data = new byte[1 * 4 * 4 * 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        QTensor x = QTensor.of(data, new int[] {1, 4, 4, 2}, QParams.perTensor(0.1, 3, DType.QUINT8));
        assertArrayEquals(new int[] {1, 1, 1, 2}, QAdaptiveAvgPool2d.builder(1).build().forward(x, Engines.reference()).shape());
        assertArrayEquals(new int[] {1, 2, 3, 2}, QAdaptiveAvgPool2d.builder(2, 3).threads(2).build().forward(x, Engines.reference()).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FloatAdaptiveAvgPool2d.builder(0).build());
        assertTrue(e.getMessage().startsWith("FloatAdaptiveAvgPool2d: output size must be > 0"), e.getMessage());
    }

    @Test
    void floatPoolingBuildersMatchTheGeometryForm() {
        float[] data = new float[1 * 5 * 5 * 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 37 % 23) - 11f;
        }
        dev.vquant.engine.FloatTensor x = dev.vquant.engine.FloatTensor.of(data, new int[] {1, 5, 5, 2});
        assertArrayEquals(FloatPool2d.max(ConvGeometry.square(2, 2, 0)).ceilMode(true).build().forward(x, Engines.reference()).data(),
                FloatPool2d.max(2).ceilMode(true).build().forward(x, Engines.reference()).data());
        assertArrayEquals(FloatPool2d.average(new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1)).countIncludePad(false).build()
                        .forward(x, Engines.reference()).data(),
                FloatPool2d.average(3).stride(1).padding(1).countIncludePad(false).build().forward(x, Engines.reference()).data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FloatPool2d.average(2).dilation(2).build());
        assertTrue(e.getMessage().startsWith("FloatAvgPool2d: dilation"), e.getMessage());
    }

    @Test
    void floatConvolutionWindowFromTheWeightNeedsNoGeometry() {
        float[] w = new float[4 * 3 * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i * 29 % 17 - 8) / 16f;
        }
        dev.vquant.engine.FloatTensor weight = dev.vquant.engine.FloatTensor.of(w, 4, 3, 3, 3);
        float[] data = new float[1 * 7 * 7 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 53 % 31 - 15) / 8f;
        }
        dev.vquant.engine.FloatTensor x = dev.vquant.engine.FloatTensor.of(data, 1, 7, 7, 3);
        float[] bias = {0.5f, -0.5f, 1f, 0f};
        float[] viaGeometry = FloatConv2d.builder(weight, ConvGeometry.square(3, 2, 1)).bias(bias).relu(true)
                .engine(Engines.reference()).build().forward(x, Engines.reference()).data();
        assertArrayEquals(viaGeometry, FloatConv2d.builder(weight).stride(2).padding(1).bias(bias).relu(true)
                .engine(Engines.reference()).build().forward(x, Engines.reference()).data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FloatConv2d.builder(weight).groups(3).build());
        assertTrue(e.getMessage().startsWith("FloatConv2d: out_channels 4 is not divisible by groups 3"), e.getMessage());
    }

    @Test
    void floatLinearAndAddTakeNamedOptions() {
        dev.vquant.engine.FloatTensor w = dev.vquant.engine.FloatTensor.of(new float[] {1f, -2f, 3f, -4f}, 2, 2);
        dev.vquant.engine.FloatTensor x = dev.vquant.engine.FloatTensor.of(new float[] {1f, 1f}, 1, 2);
        assertArrayEquals(new float[] {1.5f, 0f},
                FloatLinear.builder(w).bias(new float[] {2.5f, 0f}).relu(true).build().forward(x, Engines.reference()).data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FloatLinear.builder(w).bias(new float[3]).build());
        assertTrue(e.getMessage().startsWith("FloatLinear: expected a bias of 2 values"), e.getMessage());
        dev.vquant.engine.FloatTensor a = dev.vquant.engine.FloatTensor.of(new float[] {2f, -3f}, 2);
        assertArrayEquals(new float[] {4f, 0f}, FloatAdd.add().relu(true).build().forward(a, a).data());
        assertArrayEquals(new float[] {4f, 9f}, FloatAdd.multiply().build().forward(a, a).data());
        assertEquals("FloatMul", FloatAdd.multiply().build().name());
    }

    @Test
    void lstmDefaultsAreNoBiasTimeMajorAndReduceRange() {
        float[] ih = new float[8 * 3];
        float[] hh = new float[8 * 2];
        for (int i = 0; i < ih.length; i++) {
            ih[i] = (i * 13 % 11 - 5) / 8f;
        }
        for (int i = 0; i < hh.length; i++) {
            hh[i] = (i * 7 % 9 - 4) / 8f;
        }
        java.util.List<dev.vquant.engine.FloatTensor> wIh = java.util.List.of(dev.vquant.engine.FloatTensor.of(ih, 8, 3));
        java.util.List<dev.vquant.engine.FloatTensor> wHh = java.util.List.of(dev.vquant.engine.FloatTensor.of(hh, 8, 2));
        float[] xs = new float[4 * 1 * 3];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (i % 5 - 2) / 2f;
        }
        dev.vquant.engine.FloatTensor x = dev.vquant.engine.FloatTensor.of(xs, 4, 1, 3);
        java.util.List<float[]> none = java.util.Arrays.asList((float[]) null);
        Lstm.Result implicit = Lstm.floating(wIh, wHh).engine(Engines.reference()).build().forward(x, null, null, Engines.reference());
        Lstm.Result explicit = Lstm.floating(wIh, wHh).bias(none, none).batchFirst(false).engine(Engines.reference()).build()
                .forward(x, null, null, Engines.reference());
        assertArrayEquals(explicit.output().data(), implicit.output().data());
        assertArrayEquals(new int[] {4, 1, 2}, implicit.output().shape());

        java.util.List<QTensor> qIh = java.util.List.of(QTensor.fromFloat(wIh.get(0), dev.vquant.engine.QScheme.PER_TENSOR_SYMMETRIC));
        java.util.List<QTensor> qHh = java.util.List.of(QTensor.fromFloat(wHh.get(0), dev.vquant.engine.QScheme.PER_TENSOR_SYMMETRIC));
        assertArrayEquals(Lstm.dynamicQuantized(qIh, qHh).reduceRange(true).engine(Engines.reference()).build()
                        .forward(x, null, null, Engines.reference()).output().data(),
                Lstm.dynamicQuantized(qIh, qHh).engine(Engines.reference()).build().forward(x, null, null, Engines.reference()).output().data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lstm.floating(wIh, wHh).bias(none, null).build());
        assertTrue(e.getMessage().startsWith("LSTM: need at least one layer of weights and bias lists"), e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> Lstm.floating(wIh, wHh).engine(null).build());
        assertTrue(n.getMessage().startsWith("LSTM") && n.getMessage().contains("engine"), n.getMessage());
    }

    @Test
    void layerNormTakesPyTorchsNamesAndDefaultEps() {
        dev.vquant.engine.FloatTensor x = dev.vquant.engine.FloatTensor.of(new float[] {1f, 2f, 3f, 4f}, 1, 4);
        assertArrayEquals(FloatLayerNorm.builder(4).eps(1e-5).build().forward(x, Engines.reference()).data(),
                FloatLayerNorm.builder(4).build().forward(x, Engines.reference()).data());
        assertArrayEquals(new int[] {2, 2}, FloatLayerNorm.builder(2, 2).build().normalizedShape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FloatLayerNorm.builder(4).bias(new float[4]).build());
        assertTrue(e.getMessage().startsWith("FloatLayerNorm: a bias needs a weight"), e.getMessage());
    }
}
