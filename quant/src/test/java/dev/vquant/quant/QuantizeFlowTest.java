package dev.vquant.quant;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.Quantization;
import dev.vquant.engine.FloatTensor;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.pool.QAdaptiveAvgPool2d;
import dev.vquant.quant.nn.AdaptiveAvgPool2d;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.DeQuantStub;
import dev.vquant.quant.nn.Flatten;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.QuantStub;
import dev.vquant.quant.nn.ReLU;
import dev.vquant.quant.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * prepare / calibrate / convert end to end on a small CNN: the converted model equals the same
 * chain of ops operators composed by hand from the observers' qparams, on every engine; the
 * report lists what was converted; the errors users meet name the module and the fix.
 */
class QuantizeFlowTest {

    private static Sequential model() {
        return new Sequential(new QuantStub(), Conv2d.builder(3, 8, 3).padding(1).seed(1).build(), new ReLU(),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 5, true, 2), new DeQuantStub());
    }

    private static Tensor batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * 3 * 6 * 7];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 2);
        }
        return Tensor.of(x, 2, 3, 6, 7);
    }

    @Test
    void convertedModelEqualsTheOpsChainComposedByHand() {
        for (String engine : QuantEngine.supported()) {
            QuantEngine.set(engine);
            Sequential model = model();
            model.eval();
            model.setQConfig(QConfig.defaultFor("fbgemm"));
            Module prepared = Quantize.prepare(model);
            for (int b = 0; b < 3; b++) {
                prepared.forward(batch(b));
            }
            Quantize.Conversion c = Quantize.convertWithReport(prepared, false);
            assertEquals(6, c.report().converted().size(), c.report().toString());
            assertTrue(c.report().leftFloat().isEmpty(), c.report().toString());
            Tensor x = batch(9);
            float[] got = c.model().forward(x).toFloatArray();

            // by hand: the observers' qparams, the qconfig's weight observer, ops operators
            QParams.PerTensor in = (QParams.PerTensor) observer(prepared, "0").calculateQParams();
            QParams.PerTensor convOut = (QParams.PerTensor) observer(prepared, "1").calculateQParams();
            QParams.PerTensor fcOut = (QParams.PerTensor) observer(prepared, "5").calculateQParams();
            Conv2d conv = (Conv2d) model.get(1);
            Linear fc = (Linear) model.get(5);
            QTensor qx = Quantization.quantize(x.engineFloat("test"), in);
            QTensor wc = Quantize.quantizeWeight("1", model.qconfig(), conv.weight());
            QTensor y = QConv2d.builder(wc, conv.geometry()).bias(conv.bias().data()).output(convOut.scale(), convOut.zeroPoint())
                    .build().forward(qx);
            y = new dev.vquant.ops.elementwise.QRelu(1).forward(y);
            y = QAdaptiveAvgPool2d.builder(1).threads(1).build().forward(y);
            y = QTensor.of(y.bytes(), new int[]{2, 8}, y.qparams());
            QTensor wl = Quantize.quantizeWeight("5", model.qconfig(), fc.weight());
            y = QLinear.builder(wl).bias(fc.bias().data()).output(fcOut.scale(), fcOut.zeroPoint()).build().forward(y);
            FloatTensor expected = Quantization.dequantize(y);
            assertArrayEquals(expected.data(), got, engine);
            // and close to the float model
            float[] ref = model.forward(x).toFloatArray();
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i], got[i], 0.05 + 0.05 * Math.abs(ref[i]), engine + " element " + i);
            }
        }
        QuantEngine.set(QuantEngine.automaticDefault());
    }

    private static ObserverModule observer(Module prepared, String name) {
        return (ObserverModule) prepared.getSubmodule(name).outputObserver().orElseThrow();
    }

    @Test
    void errorsNameTheModuleAndTheFix() {
        Sequential model = model();
        IllegalArgumentException noQConfig = assertThrows(IllegalArgumentException.class, () -> Quantize.prepare(model));
        assertTrue(noQConfig.getMessage().contains("setQConfig"), noQConfig.getMessage());
        model.setQConfig(QConfig.defaultFor("qnnpack"));
        Module prepared = Quantize.prepare(model);
        IllegalStateException uncalibrated = assertThrows(IllegalStateException.class, () -> Quantize.convert(prepared));
        assertTrue(uncalibrated.getMessage().contains("'0'") && uncalibrated.getMessage().contains("calibration"),
                uncalibrated.getMessage());
        prepared.forward(batch(1));
        Module int8 = Quantize.convert(prepared);
        IllegalArgumentException floatIn = assertThrows(IllegalArgumentException.class,
                () -> int8.getSubmodule("1").forward(batch(2)));
        assertTrue(floatIn.getMessage().contains("insert a QuantStub"), floatIn.getMessage());
        IllegalArgumentException noObservers = assertThrows(IllegalArgumentException.class, () -> Quantize.convert(model));
        assertTrue(noObservers.getMessage().contains("prepare"), noObservers.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QConfig.defaultFor("tpu"));
    }

    @Test
    void dynamicLinearMatchesTheFloatModel() {
        Sequential mlp = new Sequential(new Linear(20, 16, true, 3), new ReLU(), new Linear(16, 4, true, 4));
        mlp.eval();
        Module dyn = Quantize.quantizeDynamic(mlp, Set.of(Linear.class), DType.QINT8);
        assertTrue(dyn.getSubmodule("0") instanceof dev.vquant.quant.nn.quantized.dynamic.Linear);
        assertTrue(mlp.getSubmodule("0") instanceof Linear, "the original is untouched");
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[3 * 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-2, 2);
        }
        float[] ref = mlp.forward(Tensor.of(x, 3, 20)).toFloatArray();
        float[] got = dyn.forward(Tensor.of(x, 3, 20)).toFloatArray();
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], 0.05 + 0.05 * Math.abs(ref[i]), "element " + i);
        }
    }
}
