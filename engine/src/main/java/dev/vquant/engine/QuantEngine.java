package dev.vquant.engine;

import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.spi.KernelBackend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * The process-wide quantized engine switch, like {@code torch.backends.quantized.engine}.
 *
 * <p>Engines are {@link KernelBackend}s found with {@link ServiceLoader}: "fbgemm" (alias "x86",
 * module kernels-x86), "qnnpack" (module kernels-arm) and "reference" (scalar, always there).
 * The default is fbgemm on x86-64 with 256-bit or wider vectors, qnnpack on aarch64, reference
 * elsewhere; {@code -Dvquant.engine=NAME} overrides it.
 *
 * <p>Thread-safety: the current engine is one volatile reference. Callers read it once per
 * operation ({@link #current()}) and use that backend throughout, so a concurrent {@link #set}
 * never makes one operation mix two engines.
 */
public final class QuantEngine {
    /** System property naming the engine to start with instead of the automatic default. */
    public static final String PROPERTY = "vquant.engine";

    private static final Logger LOG = Logger.getLogger(QuantEngine.class.getName());
    private static final List<String> KNOWN = List.of("fbgemm", "qnnpack", "reference");
    private static final Map<String, String> KNOWN_MODULES = Map.of(
            "fbgemm", "vquant-kernels-x86", "qnnpack", "vquant-kernels-arm", "reference", "vquant-engine");

    private static volatile KernelBackend current;

    private QuantEngine() {
    }

    /** Lazily loaded backends, in discovery order, by canonical name. */
    private static final class Registry {
        static final Map<String, KernelBackend> BACKENDS = load();

        private static Map<String, KernelBackend> load() {
            Map<String, KernelBackend> m = new LinkedHashMap<>();
            for (KernelBackend b : ServiceLoader.load(KernelBackend.class, QuantEngine.class.getClassLoader())) {
                m.putIfAbsent(b.name(), b);
            }
            return Collections.unmodifiableMap(m);
        }
    }

    /**
     * Makes {@code name} the engine for operations started from now on.
     *
     * @param name an engine name or alias ("fbgemm", "x86", "qnnpack", "reference")
     * @throws IllegalArgumentException when the name is unknown or the engine cannot run here; the
     *                                  message lists the engines that can
     */
    public static void set(String name) {
        KernelBackend b = backend(name);
        current = b;
        LOG.fine(() -> "quantized engine set to " + b.name() + " (" + b.isaDescription() + ")");
    }

    /** {@return the name of the current engine, e.g. "fbgemm"} */
    public static String get() {
        return current().name();
    }

    /** {@return the current engine's kernels} Operators read it once per operation. */
    public static KernelBackend current() {
        KernelBackend b = current;
        if (b == null) {
            synchronized (QuantEngine.class) {
                b = current;
                if (b == null) {
                    b = chooseDefault();
                    current = b;
                }
            }
        }
        return b;
    }

    /** {@return the names of the engines that can run in this JVM, in discovery order} */
    public static List<String> supported() {
        List<String> names = new ArrayList<>();
        for (KernelBackend b : Registry.BACKENDS.values()) {
            if (b.unavailableReason().isEmpty()) {
                names.add(b.name());
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** {@return every engine found on the class path, runnable here or not} */
    public static List<KernelBackend> installed() {
        return List.copyOf(Registry.BACKENDS.values());
    }

    /**
     * The backend called {@code name} (or an alias of it), without changing the current engine.
     *
     * @param name an engine name or alias
     * @return the installed backend, runnable in this JVM
     * @throws IllegalArgumentException when unknown, not installed, or unable to run here
     */
    public static KernelBackend backend(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("engine name must not be empty; valid engines here: " + supported());
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        KernelBackend found = null;
        for (KernelBackend b : Registry.BACKENDS.values()) {
            if (b.name().equals(n) || b.aliases().contains(n)) {
                found = b;
                break;
            }
        }
        if (found == null) {
            if (KNOWN.contains(n) || "x86".equals(n)) {
                String module = KNOWN_MODULES.getOrDefault("x86".equals(n) ? "fbgemm" : n, "?");
                throw new IllegalArgumentException("engine '" + name + "' is not installed: put " + module
                        + " on the class path; valid engines here: " + supported());
            }
            throw new IllegalArgumentException("unknown engine '" + name + "'; valid engines here: " + supported());
        }
        Optional<String> why = found.unavailableReason();
        if (why.isPresent()) {
            throw new IllegalArgumentException("engine '" + found.name() + "' cannot run here: " + why.get()
                    + "; valid engines here: " + supported());
        }
        return found;
    }

    /** {@return the name the automatic default picks on this machine (ignoring {@value #PROPERTY})} */
    public static String automaticDefault() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        List<String> runnable = supported();
        if ((arch.equals("amd64") || arch.equals("x86_64")) && runnable.contains("fbgemm")) {
            return "fbgemm";
        }
        if (arch.equals("aarch64") && runnable.contains("qnnpack")) {
            return "qnnpack";
        }
        return "reference";
    }

    private static KernelBackend chooseDefault() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank() && !forced.equalsIgnoreCase("auto")) {
            return backend(forced);
        }
        String name = automaticDefault();
        KernelBackend b = backend(name);
        if (name.equals(ReferenceBackend.NAME)) {
            // the scalar fallback is orders of magnitude slower than the vector engines: say why it was chosen
            LOG.warning(() -> "quantized engine: falling back to the scalar reference kernels on os.arch "
                    + System.getProperty("os.arch") + "; vector engines here: " + vectorEngineReasons());
        } else {
            LOG.config(() -> "quantized engine: " + b.name() + " (" + b.isaDescription() + ")");
        }
        return b;
    }

    /** Each installed non-scalar engine with why it cannot run here, or "none installed". */
    private static String vectorEngineReasons() {
        List<String> parts = new ArrayList<>();
        for (KernelBackend b : Registry.BACKENDS.values()) {
            if (!b.name().equals(ReferenceBackend.NAME)) {
                parts.add(b.name() + ": " + b.unavailableReason().orElse("runnable, but not the default on this architecture"));
            }
        }
        return parts.isEmpty() ? "none installed (put vquant-kernels-x86 or vquant-kernels-arm on the class path)"
                : String.join("; ", parts);
    }
}
