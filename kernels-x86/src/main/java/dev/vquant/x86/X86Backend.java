package dev.vquant.x86;

import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.EngineNumerics;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.QuantizeKernels;
import dev.vquant.engine.spi.VectorWidth;
import dev.vquant.x86.dwconv.X86DepthwiseKernels;
import dev.vquant.x86.dwconv.X86FloatDepthwiseKernels;
import dev.vquant.x86.fgemm.X86FloatGemmKernels;
import dev.vquant.x86.qgemm.X86QGemmKernels;
import dev.vquant.x86.quantize.X86QuantizeKernels;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The {@code "fbgemm"} engine (alias {@code "x86"}): 512-bit (AVX-512) and 256-bit (AVX2) Vector
 * API kernels for x86-64, found with {@link java.util.ServiceLoader}.
 *
 * <p>Width: {@link VectorWidth#V512} when the JVM's preferred vector species has 512 bits or more,
 * else {@link VectorWidth#V256}; {@code -Dvquant.width=V256|V512} forces one (any other value is an
 * error that names the valid ones). The constructor touches no {@code jdk.incubator.vector} class:
 * the probe of the preferred species and the kernel families live in holder classes that load
 * only once {@link #unavailableReason()} has checked that the module is there. The width is chosen
 * once per JVM and logged once. Stateless after construction and thread-safe.
 */
public final class X86Backend implements KernelBackend {
    /** The engine name, also stamped on every weight packed here. */
    public static final String NAME = "fbgemm";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final Logger LOG = Logger.getLogger(X86Backend.class.getName());

    /**
     * Creates the backend; {@link java.util.ServiceLoader} calls this. Touches no
     * {@code jdk.incubator.vector} class, so it succeeds even where the module is absent (then
     * {@link #unavailableReason()} says why the engine cannot run).
     */
    public X86Backend() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> aliases() {
        return List.of("x86");
    }

    @Override
    public Optional<String> unavailableReason() {
        String arch = System.getProperty("os.arch", "");
        boolean module = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        Optional<String> why = unavailableReason(arch, module, module ? Probe.PREFERRED_BITS : 0);
        if (why.isPresent()) {
            return why;
        }
        return widthProblem(Probe.PREFERRED_BITS, System.getProperty(VectorWidth.PROPERTY));
    }

    /**
     * Why no width can be chosen for {@code preferredBits} and a {@code -Dvquant.width} value
     * ({@code forcedValue}, null when unset), or empty: the testable half of {@link #unavailableReason()}.
     */
    static Optional<String> widthProblem(int preferredBits, String forcedValue) {
        try {
            chooseWidth(preferredBits, VectorWidth.parse(forcedValue));
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The availability rule, separated from the running JVM so it can be tested: x86-64 only, the
     * Vector API module in the boot layer, and a preferred vector size of at least 256 bits (AVX2).
     *
     * @param arch          {@code os.arch}
     * @param vectorModule  whether {@code jdk.incubator.vector} is in the boot layer
     * @param preferredBits bits of the JVM's preferred vector species (ignored without the module)
     */
    static Optional<String> unavailableReason(String arch, boolean vectorModule, int preferredBits) {
        String a = arch.toLowerCase(Locale.ROOT);
        if (!a.equals("amd64") && !a.equals("x86_64")) {
            return Optional.of("the fbgemm engine needs an x86-64 CPU, but os.arch is '" + arch + "'");
        }
        if (!vectorModule) {
            return Optional.of("the Vector API module " + VECTOR_MODULE
                    + " is not in the boot layer; start the JVM with --add-modules " + VECTOR_MODULE);
        }
        if (preferredBits < 256) {
            return Optional.of("the fbgemm engine needs AVX2 (256-bit vectors), but this JVM offers "
                    + preferredBits + "-bit vectors");
        }
        return Optional.empty();
    }

    /**
     * The width rule: a forced width must be V256 or V512; otherwise V512 from 512 preferred bits up,
     * else V256.
     *
     * @throws IllegalArgumentException when {@code forced} is a width this engine has no kernels for
     */
    static VectorWidth chooseWidth(int preferredBits, VectorWidth forced) {
        if (forced != null) {
            if (forced != VectorWidth.V256 && forced != VectorWidth.V512) {
                throw new IllegalArgumentException("-D" + VectorWidth.PROPERTY + "=" + forced
                        + " is not a width the fbgemm engine has kernels for; use V256 or V512");
            }
            return forced;
        }
        return preferredBits >= 512 ? VectorWidth.V512 : VectorWidth.V256;
    }

    /**
     * @throws IllegalArgumentException when {@code -Dvquant.width} names a width this engine lacks
     */
    @Override
    public VectorWidth width() {
        return Families.WIDTH;
    }

    @Override
    public String isaDescription() {
        return (width() == VectorWidth.V512 ? "AVX-512" : "AVX2") + " (" + width() + ")";
    }

    /** PyTorch fbgemm's numerics (golden/NUMERICS.md). */
    @Override
    public EngineNumerics numerics() {
        return EngineNumerics.FBGEMM;
    }

    @Override
    public QuantizeKernels quantize() {
        return Families.QUANTIZE;
    }

    @Override
    public QGemmKernels qgemm() {
        return Families.QGEMM;
    }

    @Override
    public DepthwiseKernels depthwise() {
        return Families.DEPTHWISE;
    }

    @Override
    public FloatGemmKernels floatGemm() {
        return Families.FLOAT_GEMM;
    }

    @Override
    public FloatDepthwiseKernels floatDepthwise() {
        return Families.FLOAT_DEPTHWISE;
    }

    @Override
    public String toString() {
        return "X86Backend[" + NAME + "]";
    }

    /** Reads the preferred species; loaded only after the module check. */
    private static final class Probe {
        static final int PREFERRED_BITS = jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** The kernel families at the chosen width, created on first use. */
    private static final class Families {
        static final VectorWidth WIDTH = chooseWidth(Probe.PREFERRED_BITS, VectorWidth.forced());
        static final QuantizeKernels QUANTIZE = new X86QuantizeKernels(WIDTH);
        static final QGemmKernels QGEMM = new X86QGemmKernels(WIDTH);
        static final DepthwiseKernels DEPTHWISE = new X86DepthwiseKernels(WIDTH);
        static final FloatGemmKernels FLOAT_GEMM = new X86FloatGemmKernels(WIDTH);
        static final FloatDepthwiseKernels FLOAT_DEPTHWISE = new X86FloatDepthwiseKernels(WIDTH);

        static {
            if (WIDTH == VectorWidth.V256 && VectorWidth.forced() == null) {
                // a narrower width than the engine's best is worth one visible line: int8 GEMM runs ~2x slower
                LOG.warning(() -> "fbgemm engine: falling back to the V256 (AVX2) kernels: this JVM's preferred vector size is "
                        + Probe.PREFERRED_BITS + " bits, not 512 (no AVX-512, or -XX:UseAVX/MaxVectorSize limits it)");
            } else {
                LOG.info(() -> "fbgemm engine: " + WIDTH + " kernels (preferred vector size " + Probe.PREFERRED_BITS
                        + " bits" + (VectorWidth.forced() != null ? ", forced by -D" + VectorWidth.PROPERTY : "") + ")");
            }
        }
    }
}
