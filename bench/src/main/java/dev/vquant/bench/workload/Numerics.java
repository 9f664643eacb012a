package dev.vquant.bench.workload;

import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.Requantization;

/** The output arithmetic each engine uses by default (golden/NUMERICS.md), for benchmark setups. */
final class Numerics {
    private Numerics() {
    }

    /** fbgemm and reference requantize with a float bias; qnnpack rounds the bias to int32 first. */
    static Requantization requantization(KernelBackend engine, double inScale, double[] weightScales, float[] bias,
                                         double outScale, int outZeroPoint, int channels) {
        return engine.numerics().biasArithmetic() == EngineNumerics.BiasArithmetic.INT_BIAS
                ? Requantization.qnnpack(inScale, weightScales, bias, outScale, outZeroPoint, false, channels)
                : Requantization.fbgemm(inScale, weightScales, bias, outScale, outZeroPoint, false, channels);
    }
}
