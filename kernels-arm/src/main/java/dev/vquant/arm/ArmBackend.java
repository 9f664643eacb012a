package dev.vquant.arm;

import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.VectorWidth;

import java.util.Optional;

/**
 * The {@code "qnnpack"} engine: QNNPACK-style kernels written for 128-bit vectors (NEON width),
 * the default on aarch64. 128-bit species run on every CPU the Vector API supports, so the engine
 * is available wherever {@code jdk.incubator.vector} is in the boot layer (on x86 it is useful for
 * comparison with fbgemm).
 *
 * <p>The constructor touches no Vector API class: the kernel families live in a lazily
 * initialized holder ({@link ArmKernels}) that is only loaded once a family is asked for, which
 * {@link dev.vquant.engine.QuantEngine} does only after {@link #unavailableReason()} came back
 * empty. Stateless after construction and thread-safe.
 */
public final class ArmBackend implements KernelBackend {
    /** The engine name, also stamped on every weight packed here. */
    public static final String NAME = "qnnpack";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * Creates the backend; {@link java.util.ServiceLoader} calls this. Touches no
     * {@code jdk.incubator.vector} class, so it succeeds even where the module is absent (then
     * {@link #unavailableReason()} says why the engine cannot run).
     */
    public ArmBackend() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Empty when {@code jdk.incubator.vector} is in the boot layer; the 128-bit species this engine
     * uses exist on every platform the module supports, so nothing else is checked.
     */
    @Override
    public Optional<String> unavailableReason() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return Optional.of("the Vector API module " + VECTOR_MODULE
                    + " is not in the boot layer; start the JVM with --add-modules " + VECTOR_MODULE);
        }
        return Optional.empty();
    }

    /** Always {@link VectorWidth#V128}: every kernel of this engine is written for 128-bit species. */
    @Override
    public VectorWidth width() {
        return VectorWidth.V128;
    }

    @Override
    public String isaDescription() {
        return "NEON-width 128-bit (V128)";
    }

    /** PyTorch qnnpack's numerics (golden/NUMERICS.md). */
    @Override
    public EngineNumerics numerics() {
        return EngineNumerics.QNNPACK;
    }

    @Override
    public QuantizeKernels quantize() {
        return ArmKernels.QUANTIZE;
    }

    @Override
    public QGemmKernels qgemm() {
        return ArmKernels.QGEMM;
    }

    @Override
    public DepthwiseKernels depthwise() {
        return ArmKernels.DEPTHWISE;
    }

    @Override
    public FloatGemmKernels floatGemm() {
        return ArmKernels.FLOAT_GEMM;
    }

    @Override
    public FloatDepthwiseKernels floatDepthwise() {
        return ArmKernels.FLOAT_DEPTHWISE;
    }

    @Override
    public String toString() {
        return "ArmBackend[" + NAME + ", V128]";
    }
}
