package dev.vquant.engine.spi;

import java.util.List;
import java.util.Optional;

/**
 * One quantized engine: a set of kernel families for one ISA family, found with
 * {@link java.util.ServiceLoader}. Implementations are stateless after construction and
 * thread-safe; their constructors must not touch {@code jdk.incubator.vector} classes, so that
 * {@link #unavailableReason()} can explain what is missing instead of the class loader failing.
 *
 * <p>Families are only asked for when {@link #unavailableReason()} is empty.
 */
public interface KernelBackend {

    /** {@return the engine name users pass to {@code QuantEngine.set}: "fbgemm", "qnnpack", "reference"} */
    String name();

    /** {@return other names accepted for this engine (e.g. "x86" for fbgemm); none by default} */
    default List<String> aliases() {
        return List.of();
    }

    /** {@return empty when the engine can run in this JVM on this CPU, else a sentence saying why not} */
    Optional<String> unavailableReason();

    /** {@return the vector width this engine's kernels use here (after any forced width)} */
    VectorWidth width();

    /** {@return a short human description of the ISA the kernels target here, e.g. "AVX-512 (V512)"} */
    String isaDescription();

    /**
     * The PyTorch arithmetic this engine reproduces (requantization, dynamic output, reduce_range,
     * default qconfig family): the only place operators learn an engine's numerics from.
     *
     * @return this engine's numerics, one of the {@link EngineNumerics} presets for installed engines
     */
    EngineNumerics numerics();

    /**
     * This engine's float32 to int8 quantize, dequantize and requantize kernels.
     *
     * @return the family, thread-safe and shared by all callers
     */
    QuantizeKernels quantize();

    /**
     * This engine's int8 GEMM (uint8 activations times int8 weights, exact int32 accumulation).
     *
     * @return the family, thread-safe and shared by all callers
     */
    QGemmKernels qgemm();

    /**
     * This engine's int8 depthwise 2-D convolution (NHWC, channel multiplier 1).
     *
     * @return the family, thread-safe and shared by all callers
     */
    DepthwiseKernels depthwise();

    /**
     * This engine's float32 GEMM, the baseline int8 is measured against.
     *
     * @return the family, thread-safe and shared by all callers
     */
    FloatGemmKernels floatGemm();

    /**
     * This engine's float32 depthwise 2-D convolution, the twin of {@link #depthwise()}.
     *
     * @return the family, thread-safe and shared by all callers
     */
    FloatDepthwiseKernels floatDepthwise();
}
