package dev.vquant.ops.testing;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The engines ops tests run on: every one of "reference", "fbgemm", "qnnpack" that this JVM can
 * run. An engine that is not installed is reported as a skipped test naming it, never silently.
 */
public final class Engines {
    public static final List<String> ALL = List.of("reference", "fbgemm", "qnnpack");

    private Engines() {
    }

    public static KernelBackend reference() {
        return QuantEngine.backend("reference");
    }

    /** The runnable engines, reference first. */
    public static List<KernelBackend> installed() {
        List<KernelBackend> list = new ArrayList<>();
        for (String n : ALL) {
            if (QuantEngine.supported().contains(n)) {
                list.add(QuantEngine.backend(n));
            }
        }
        return list;
    }

    /** One node per engine: {@code body(engine)} when it runs here, else an aborted "not installed" test. */
    public static List<DynamicNode> perEngine(Function<KernelBackend, DynamicNode> body) {
        List<DynamicNode> nodes = new ArrayList<>();
        for (String n : ALL) {
            if (QuantEngine.supported().contains(n)) {
                nodes.add(body.apply(QuantEngine.backend(n)));
            } else {
                String why = whyNot(n);
                nodes.add(DynamicTest.dynamicTest(n + ": NOT INSTALLED, skipped (" + why + ")",
                        () -> Assumptions.abort("engine " + n + " is not runnable here: " + why)));
            }
        }
        return nodes;
    }

    private static String whyNot(String name) {
        try {
            QuantEngine.backend(name);
            return "unknown";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
