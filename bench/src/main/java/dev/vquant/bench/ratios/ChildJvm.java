package dev.vquant.bench.ratios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a measurement in a fresh JVM with this JVM's flags, class path and the runner's JIT flags,
 * so that no other kernel has shaped the JIT's profiles (many Vector API kernels in one JVM made
 * some several times slower). The child's standard error goes to ours; its standard output is
 * handed over line by line.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code args} and waits for it.
     *
     * @return the child's exit status
     * @param main the class whose {@code main} the child runs, from this JVM's class path
     * @param args the child's arguments
     * @param stdoutLines receives each line the child prints on standard output (its standard error is
     *   inherited)
     * @throws java.io.IOException when the child cannot be started or its output read
     * @throws InterruptedException when interrupted while waiting for the child
     */
    public static int run(Class<?> main, List<String> args, Consumer<String> stdoutLines)
            throws IOException, InterruptedException {
        return run(main, RatioRunner.CHILD_JIT_FLAGS, args, stdoutLines);
    }

    /**
     * Runs {@code main} with {@code args} and waits for it, with {@code jvmFlags} in place of the
     * ratio runner's JIT flags.
     *
     * @return the child's exit status
     * @param main the class whose {@code main} the child runs, from this JVM's class path
     * @param jvmFlags flags added after this JVM's own
     * @param args the child's arguments
     * @param stdoutLines receives each line the child prints on standard output (its standard error is
     *   inherited)
     * @throws java.io.IOException when the child cannot be started or its output read
     * @throws InterruptedException when interrupted while waiting for the child
     */
    public static int run(Class<?> main, List<String> jvmFlags, List<String> args, Consumer<String> stdoutLines)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                stdoutLines.accept(line);
            }
        }
        return p.waitFor();
    }
}
