package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.convert.DeQuantize;
import dev.vquant.ops.convert.Quantize;
import dev.vquant.ops.elementwise.QAdd;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.ops.linear.QLinear;
import dev.vquant.ops.rnn.Lstm;
import dev.vquant.ops.testing.Engines;
import dev.vquant.ops.testing.Rand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong tensors fail at the operator with an IllegalArgumentException naming it, what it expected and what it got. */
class BadInputTest {
    private final Rand r = new Rand(7);
    private final QTensor w = r.weight(new int[]{8, 16}, false);
    private final QLinear linear = QLinear.builder(w).output(0.1, 0).engine(Engines.reference()).build();

    private static void fails(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void floatWhereQuantizedExpected() {
        fails(() -> linear.apply(FloatTensor.of(new float[16], 1, 16)), "Linear", "expected a quantized tensor",
                "insert a Quantize step");
        fails(() -> QAdd.builder().output(0.1, 0).threads(1).build().apply(FloatTensor.of(new float[4], 4), r.activation(new int[]{4})), "Add",
                "Quantize");
        fails(() -> new DeQuantize(1).apply(FloatTensor.of(new float[4], 4)), "DeQuantize", "expected a quantized tensor");
    }

    @Test
    void outputQParamsNeverSet() {
        fails(() -> QLinear.builder(w).engine(Engines.reference()).build(), "Linear", "never set", "output(scale, zeroPoint)");
    }

    @Test
    void quantizedWhereFloatExpected() {
        DynamicQLinear dyn = DynamicQLinear.builder(w).engine(Engines.reference()).build();
        fails(() -> dyn.apply(r.activation(new int[]{1, 16})), "DynamicLinear", "expected a float tensor", "DeQuantize");
        FloatLinear fl = FloatLinear.builder(FloatTensor.of(new float[16 * 8], 8, 16)).threads(1).engine(Engines.reference()).build();
        fails(() -> fl.apply(r.activation(new int[]{1, 16})), "FloatLinear", "DeQuantize");
        fails(() -> Quantize.builder().output(0.1, 0).threads(1).build().apply(r.activation(new int[]{2})), "Quantize", "already quantized");
    }

    @Test
    void wrongDtypeLayoutRankOrChannels() {
        QTensor qint8 = QTensor.of(new byte[16], new int[]{1, 16}, QParams.perTensor(0.1, 0, DType.QINT8));
        fails(() -> linear.forward(qint8), "Linear", "expected a quint8 activation", "qint8");
        fails(() -> linear.forward(r.activation(new int[]{2, 15})), "Linear", "expected 16 input features", "got 15");
        QConv2d conv = QConv2d.builder(r.weight(new int[]{4, 3, 3, 3}, false), ConvGeometry.square(3, 1, 1)).output(0.1, 0)
                .engine(Engines.reference()).build();
        fails(() -> conv.forward(r.activation(new int[]{1, 5, 5})), "Conv2d", "4-D NHWC", "[1, 5, 5]");
        fails(() -> conv.forward(r.activation(new int[]{1, 3, 5, 5})), "Conv2d", "expected 3 input channels", "got 5");
        QConv2d unpadded = QConv2d.builder(r.weight(new int[]{4, 3, 3, 3}, false), ConvGeometry.square(3, 1, 0)).output(0.1, 0)
                .engine(Engines.reference()).build();
        fails(() -> unpadded.forward(r.activation(new int[]{1, 2, 2, 3})), "Conv2d", "smaller than the dilated kernel");
        fails(() -> QConv2d.builder(r.weight(new int[]{5, 3, 3, 3}, false), ConvGeometry.square(3, 1, 1)).groups(2)
                .output(0.1, 0).build(), "Conv2d", "not divisible by groups 2");
        fails(() -> QLinear.builder(w).output(0.1, 0).bias(new float[3]).build(), "Linear", "bias of 8 values", "got 3");
        fails(() -> QLinear.builder(w).build(), "Linear", "never set");
        fails(() -> Lstm.floating(List.of(FloatTensor.of(new float[12], 4, 3)), List.of(FloatTensor.of(new float[8], 4, 2))).threads(1).build(), "LSTM", "weight_hh");
    }

    @Test
    void mismatchedQParams() {
        QTensor a = r.activation(new int[]{2, 3});
        QTensor b = r.activation(new int[]{3, 2});
        fails(() -> QAdd.builder().output(0.1, 0).threads(1).build().forward(a, b), "Add", "same shape", "[2, 3]", "[3, 2]");
        QTensor perChannelActivation = QTensor.of(new byte[16], new int[]{1, 16},
                QParams.perChannel(new double[]{0.1}, new int[]{0}, 0, DType.QUINT8));
        fails(() -> linear.forward(perChannelActivation), "Linear", "per-tensor activation qparams");
        fails(() -> QAdd.builder().output(0.1, 300).threads(1).build(), "Add", "output zero point", "300");
    }
}
