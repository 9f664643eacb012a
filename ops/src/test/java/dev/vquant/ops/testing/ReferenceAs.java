package dev.vquant.ops.testing;

import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.VectorWidth;

import java.util.Optional;

/**
 * The scalar reference kernels under another engine's name, so an operator applies that engine's
 * PyTorch rules (qnnpack's int-bias requantization, unfused dynamic output, ignored reduce_range)
 * on the oracle kernels: the expected result of the same operator on the real engine, bit for bit.
 * Weights packed here are stamped "reference" by the reference kernels, which is what they check.
 */
public final class ReferenceAs implements KernelBackend {
    private final String name;
    private final KernelBackend ref = Engines.reference();

    private ReferenceAs(String name) {
        this.name = name;
    }

    public static KernelBackend engine(String name) {
        return new ReferenceAs(name);
    }

    @Override
    public String name() {
        return name;
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
    public String isaDescription() {
        return "reference kernels with " + name + " numerics";
    }

    @Override
    public QuantizeKernels quantize() {
        return ref.quantize();
    }

    @Override
    public QGemmKernels qgemm() {
        return ref.qgemm();
    }

    @Override
    public DepthwiseKernels depthwise() {
        return ref.depthwise();
    }

    @Override
    public FloatGemmKernels floatGemm() {
        return ref.floatGemm();
    }

    @Override
    public FloatDepthwiseKernels floatDepthwise() {
        return ref.floatDepthwise();
    }
}
