package dev.vquant.arm;

import dev.vquant.arm.depthwise.DepthwiseKernelsV128;
import dev.vquant.arm.fdepthwise.FloatDepthwiseKernelsV128;
import dev.vquant.arm.fgemm.FloatGemmKernelsV128;
import dev.vquant.arm.qgemm.QGemmKernelsV128;
import dev.vquant.arm.quantize.QuantizeKernelsV128;

/**
 * Lazy holder of the engine's kernel families: loading this class is what first loads Vector API
 * classes, so {@link ArmBackend} only touches it from its family accessors.
 */
final class ArmKernels {
    static final QuantizeKernelsV128 QUANTIZE = new QuantizeKernelsV128();
    static final QGemmKernelsV128 QGEMM = new QGemmKernelsV128();
    static final DepthwiseKernelsV128 DEPTHWISE = new DepthwiseKernelsV128();
    static final FloatGemmKernelsV128 FLOAT_GEMM = new FloatGemmKernelsV128();
    static final FloatDepthwiseKernelsV128 FLOAT_DEPTHWISE = new FloatDepthwiseKernelsV128();

    private ArmKernels() {
    }
}
