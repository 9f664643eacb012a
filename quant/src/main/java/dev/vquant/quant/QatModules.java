package dev.vquant.quant;

import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.quant.nn.Conv2d;
import dev.vquant.quant.nn.Linear;
import dev.vquant.quant.nn.Module;
import dev.vquant.quant.nn.Parameter;
import dev.vquant.quant.nn.intrinsic.ConvBn2d;
import dev.vquant.quant.nn.intrinsic.ConvBnReLU2d;
import dev.vquant.quant.nn.intrinsic.ConvReLU2d;
import dev.vquant.quant.nn.intrinsic.LinearReLU;
import dev.vquant.quant.qat.FakeQuantize;

/**
 * The QAT modules ({@code nn.qat}, {@code nn.intrinsic.qat}): which float module prepareQat swaps
 * for which (PyTorch's default QAT module mappings), and how convert turns one into the quantized
 * module PTQ would give ({@code from_float} of a QAT module: the float module it stands for, BN
 * folded by its running statistics, its weight run through {@code weight_fake_quant} once more and
 * quantized with that fake-quant's observer qparams).
 */
final class QatModules {
    private QatModules() {
    }

    /** True for a QAT module. */
    static boolean isQat(Module m) {
        return m instanceof dev.vquant.quant.nn.qat.Conv2d || m instanceof dev.vquant.quant.nn.qat.Linear;
    }

    /** The QAT module for {@code m} under {@code q}, or null when its type has none. */
    static Module qatCounterpart(Module m, QConfig q) {
        if (m instanceof Conv2d c) {
            return new dev.vquant.quant.nn.qat.Conv2d(c, q);
        }
        if (m instanceof Linear l) {
            return new dev.vquant.quant.nn.qat.Linear(l, q);
        }
        if (m instanceof ConvBnReLU2d f) {
            return new dev.vquant.quant.nn.intrinsic.qat.ConvBnReLU2d(f, q);
        }
        if (m instanceof ConvBn2d f) {
            return new dev.vquant.quant.nn.intrinsic.qat.ConvBn2d(f, q);
        }
        if (m instanceof ConvReLU2d f) {
            return new dev.vquant.quant.nn.intrinsic.qat.ConvReLU2d(f, q);
        }
        if (m instanceof LinearReLU f) {
            return new dev.vquant.quant.nn.intrinsic.qat.LinearReLU(f, q);
        }
        return null;
    }

    /** The quantized module for a QAT module with output qparams {@code out}. */
    static Module quantized(String name, Module m, QuantizedValues values, QParams.PerTensor out) {
        if (m instanceof dev.vquant.quant.nn.qat.Conv2d c) {
            return Quantize.quantizedConv(name, new FakeQuantizedWeights(values, c.weightFakeQuant()), c.toFloat(), out, c.hasRelu());
        }
        dev.vquant.quant.nn.qat.Linear l = (dev.vquant.quant.nn.qat.Linear) m;
        return Quantize.quantizedLinear(name, new FakeQuantizedWeights(values, l.weightFakeQuant()), l.toFloat(), out, l.hasRelu());
    }

    /**
     * The output qparams and bias of {@code values}; the weight through the module's weight
     * fake-quant (which observes it when its observer is enabled, as PyTorch's {@code get_qconv}
     * does) and quantized with the fake-quant's observer qparams.
     */
    private record FakeQuantizedWeights(QuantizedValues values, FakeQuantize weightFakeQuant) implements QuantizedValues {
        @Override
        public QParams.PerTensor output(String module) {
            return values.output(module);
        }

        @Override
        public QTensor weight(String module, Parameter floatWeight) {
            return Quantize.quantizeObserved(module, weightFakeQuant, floatWeight);
        }

        @Override
        public float[] bias(String module, Parameter floatBias) {
            return values.bias(module, floatBias);
        }
    }
}
