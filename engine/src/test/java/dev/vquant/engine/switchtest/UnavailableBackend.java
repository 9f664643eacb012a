package dev.vquant.engine.switchtest;

import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.VectorWidth;

import java.util.Optional;

/** An installed engine that cannot run here (like qnnpack on a JVM without the vector module). Isolated-loader only. */
public final class UnavailableBackend implements KernelBackend {
    /** The reason it gives. */
    public static final String REASON = "it needs a CPU feature this test pretends is missing";

    @Override
    public String name() {
        return "unavailable";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of(REASON);
    }

    @Override
    public VectorWidth width() {
        return VectorWidth.V128;
    }

    @Override
    public EngineNumerics numerics() {
        return EngineNumerics.FBGEMM;
    }

    @Override
    public String isaDescription() {
        return "none";
    }

    @Override
    public QuantizeKernels quantize() {
        throw new IllegalStateException("families of an unavailable engine must not be asked for");
    }

    @Override
    public QGemmKernels qgemm() {
        throw new IllegalStateException("families of an unavailable engine must not be asked for");
    }

    @Override
    public DepthwiseKernels depthwise() {
        throw new IllegalStateException("families of an unavailable engine must not be asked for");
    }

    @Override
    public FloatGemmKernels floatGemm() {
        throw new IllegalStateException("families of an unavailable engine must not be asked for");
    }

    @Override
    public FloatDepthwiseKernels floatDepthwise() {
        throw new IllegalStateException("families of an unavailable engine must not be asked for");
    }
}
