package dev.vquant.engine.reference;

import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.VectorWidth;

import java.util.Optional;

/**
 * The {@code "reference"} engine: scalar Java kernels that run on every JVM and define what the
 * optimized engines must compute. Registered with {@link java.util.ServiceLoader}; stateless and
 * thread-safe.
 */
public final class ReferenceBackend implements KernelBackend {
    /** The engine name, also stamped on every weight packed here. */
    public static final String NAME = "reference";

    private final QuantizeReference quantize = new QuantizeReference();
    private final QGemmReference qgemm = new QGemmReference();
    private final DepthwiseReference depthwise = new DepthwiseReference();
    private final FloatGemmReference floatGemm = new FloatGemmReference();
    private final FloatDepthwiseReference floatDepthwise = new FloatDepthwiseReference();

    @Override
    public String name() {
        return NAME;
    }

    /** Always empty: scalar Java runs everywhere. */
    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public VectorWidth width() {
        return VectorWidth.SCALAR;
    }

    @Override
    public String isaDescription() {
        return "scalar Java (SCALAR)";
    }

    @Override
    public QuantizeReference quantize() {
        return quantize;
    }

    @Override
    public QGemmReference qgemm() {
        return qgemm;
    }

    @Override
    public DepthwiseReference depthwise() {
        return depthwise;
    }

    @Override
    public FloatGemmReference floatGemm() {
        return floatGemm;
    }

    @Override
    public FloatDepthwiseReference floatDepthwise() {
        return floatDepthwise;
    }

    @Override
    public String toString() {
        return "ReferenceBackend";
    }
}
