package dev.vquant.engine.reference;

import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.VectorWidth;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code "reference"} engine: scalar Java kernels that run on every JVM and define what the
 * optimized engines must compute. Registered with {@link java.util.ServiceLoader} with fbgemm's
 * numerics; {@link #withNumerics} gives the same kernels with another engine's numerics, the oracle
 * of an operator on that engine. Stateless and thread-safe.
 */
public final class ReferenceBackend implements KernelBackend {
    /** The engine name, also stamped on every weight packed here. */
    public static final String NAME = "reference";

    private final QuantizeReference quantize = new QuantizeReference();
    private final QGemmReference qgemm = new QGemmReference();
    private final DepthwiseReference depthwise = new DepthwiseReference();
    private final FloatGemmReference floatGemm = new FloatGemmReference();
    private final FloatDepthwiseReference floatDepthwise = new FloatDepthwiseReference();
    private final EngineNumerics numerics;

    /** The registered engine: fbgemm's numerics (golden/NUMERICS.md: reference equals fbgemm). */
    public ReferenceBackend() {
        this(EngineNumerics.FBGEMM);
    }

    private ReferenceBackend(EngineNumerics numerics) {
        this.numerics = Objects.requireNonNull(numerics, "numerics");
    }

    /**
     * The reference kernels with another engine's numerics (e.g. {@code withNumerics(qnnpack.numerics())}):
     * an operator run on it computes, bit for bit, what it must compute on that engine. Still named
     * {@value #NAME}, so weights are packed for the reference kernels.
     *
     * @param numerics the numerics to reproduce, usually another backend's {@code numerics()}
     * @return a new reference backend with those numerics
     * @throws NullPointerException when {@code numerics} is null
     */
    public static ReferenceBackend withNumerics(EngineNumerics numerics) {
        return new ReferenceBackend(numerics);
    }

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
    public EngineNumerics numerics() {
        return numerics;
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
        return "ReferenceBackend[" + numerics.family() + " numerics]";
    }
}
