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

    /** The engine name users pass to {@code QuantEngine.set}: "fbgemm", "qnnpack", "reference". */
    String name();

    /** Other names accepted for this engine (e.g. "x86" for fbgemm). */
    default List<String> aliases() {
        return List.of();
    }

    /** Empty when the engine can run in this JVM on this CPU, else a sentence saying why not. */
    Optional<String> unavailableReason();

    /** The vector width this engine's kernels use here (after any forced width). */
    VectorWidth width();

    /** A short human description of the ISA the kernels target here, e.g. "AVX-512 (V512)". */
    String isaDescription();

    /**
     * The PyTorch arithmetic this engine reproduces (requantization, dynamic output, reduce_range,
     * default qconfig family): the only place operators learn an engine's numerics from.
     */
    EngineNumerics numerics();

    QuantizeKernels quantize();

    QGemmKernels qgemm();

    DepthwiseKernels depthwise();

    FloatGemmKernels floatGemm();

    FloatDepthwiseKernels floatDepthwise();
}
