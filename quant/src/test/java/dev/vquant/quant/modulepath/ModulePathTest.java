package dev.vquant.quant.modulepath;

import dev.vquant.engine.QuantEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module descriptors work: a user's module that requires only {@code dev.vquant.quant}
 * (test resources {@code modulepath/demo}) compiles against the library on the module path, and a
 * child JVM runs it with {@code java --module-path ... --module}: engine, ops and quant resolve from
 * their descriptors, the kernel modules are bound as {@code KernelBackend} providers without being
 * required, and a dynamically quantized MLP (with a {@code deepCopy}, quant's reflective path)
 * gives the same outputs as the same code run here on the class path, on every engine.
 *
 * <p>The module path is this test's class path cut down to the library: the main output of each
 * vquant module ({@code target/classes} or its jar, never test classes or test-jars) and Jackson.
 */
class ModulePathTest {
    private static final Pattern LIBRARY_JAR = Pattern.compile("(vquant-(engine|kernels-x86|kernels-arm|ops|quant)-[^/]*(?<!-tests)"
            + "|jackson-(core|databind|annotations)-[^/]*)\\.jar");
    private static final String[] DEMO_SOURCES = {"module-info.java", "dev/vquant/demo/Main.java"};

    @Test
    void aUserModuleQuantizesAndRunsOnTheModulePath(@TempDir Path tmp) throws Exception {
        List<String> library = libraryModules();
        String modulePath = String.join(File.pathSeparator, library);
        Path src = tmp.resolve("src");
        Path out = tmp.resolve("classes");
        List<String> args = new ArrayList<>(List.of("--module-path", modulePath, "-d", out.toString(), "-Xlint:-incubating"));
        for (String s : DEMO_SOURCES) {
            Path f = src.resolve(s);
            Files.createDirectories(f.getParent());
            try (InputStream in = ModulePathTest.class.getResourceAsStream("/modulepath/demo/" + s)) {
                Files.copy(in, f);
            }
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
        assertEquals(0, rc, () -> "the demo module does not compile on the module path " + library + ":\n" + diagnostics);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--module-path", modulePath + File.pathSeparator + out,
                "--module", "vquant.demo/dev.vquant.demo.Main")
                .redirectError(tmp.resolve("stderr.txt").toFile()).start();
        String child = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the module-path JVM did not finish");
        assertEquals(0, p.exitValue(), () -> "the module-path JVM failed:\n" + child + read(tmp.resolve("stderr.txt")));

        assertTrue(child.startsWith("installed [fbgemm, qnnpack, reference]\n"),
                () -> "the kernel modules were not bound as KernelBackend providers:\n" + child);
        assertEquals(onTheClassPath(out), child, "module path and class path disagree");
    }

    /** The demo's {@code run()} in this JVM, its classes loaded on top of the test class path. */
    private static String onTheClassPath(Path classes) throws Exception {
        String engine = QuantEngine.get();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ModulePathTest.class.getClassLoader())) {
            Method run = loader.loadClass("dev.vquant.demo.Main").getMethod("run");
            return (String) run.invoke(null);
        } finally {
            QuantEngine.set(engine); // the demo switches engines; leave the suite's as it was
        }
    }

    /** The library's entries of this JVM's class path: each vquant module's main output and Jackson's jars. */
    private static List<String> libraryModules() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
            Path p = Path.of(e);
            boolean mainClasses = p.endsWith(Path.of("target", "classes"))
                    && p.getParent().getParent().getFileName().toString().matches("engine|kernels-x86|kernels-arm|ops|quant");
            if (mainClasses || LIBRARY_JAR.matcher(p.getFileName().toString()).matches()) {
                entries.add(e);
            }
        }
        assertEquals(8, entries.size(), () -> "expected the five vquant modules and three Jackson jars on the class path, found " + entries);
        return entries;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
