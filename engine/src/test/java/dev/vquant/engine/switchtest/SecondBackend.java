package dev.vquant.engine.switchtest;

import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.VectorWidth;

import java.util.List;
import java.util.Optional;

/**
 * A second runnable engine with aliases, for the engine-switch tests. Registered ONLY inside the
 * isolated class loader of {@code QuantEngineSwitchTest} (never through a services file on the
 * class path), so other modules that use the engine test-jar never see it.
 */
public final class SecondBackend implements KernelBackend {
    private final ReferenceBackend kernels = new ReferenceBackend();

    @Override
    public String name() {
        return "second";
    }

    @Override
    public List<String> aliases() {
        return List.of("2nd", "zweite");
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public VectorWidth width() {
        return VectorWidth.SCALAR;
    }

    @Override
    public EngineNumerics numerics() {
        return EngineNumerics.FBGEMM;
    }

    @Override
    public String isaDescription() {
        return "scalar Java, second copy";
    }

    @Override
    public QuantizeKernels quantize() {
        return kernels.quantize();
    }

    @Override
    public QGemmKernels qgemm() {
        return kernels.qgemm();
    }

    @Override
    public DepthwiseKernels depthwise() {
        return kernels.depthwise();
    }

    @Override
    public FloatGemmKernels floatGemm() {
        return kernels.floatGemm();
    }

    @Override
    public FloatDepthwiseKernels floatDepthwise() {
        return kernels.floatDepthwise();
    }
}
