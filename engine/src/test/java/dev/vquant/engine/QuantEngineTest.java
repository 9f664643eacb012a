package dev.vquant.engine;

import dev.vquant.engine.reference.ReferenceBackend;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.switchtest.SecondBackend;
import dev.vquant.engine.switchtest.UnavailableBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine switch. On the test class path only "reference" is installed; the alias, the
 * unavailable-engine and the concurrency tests run {@link QuantEngine} in an isolated class loader
 * (engine classes plus two test backends registered by a services file in a temporary folder), so
 * they get a fresh switch with three engines and leave the process-wide one alone.
 */
class QuantEngineTest {
    private String savedEngine;

    @BeforeEach
    void remember() {
        savedEngine = QuantEngine.get();
    }

    @AfterEach
    void restore() {
        QuantEngine.set(savedEngine);
    }

    @Test
    void referenceIsAlwaysSupportedAndSettable() {
        assertTrue(QuantEngine.supported().contains("reference"));
        QuantEngine.set("reference");
        assertEquals("reference", QuantEngine.get());
        assertInstanceOf(ReferenceBackend.class, QuantEngine.current());
        QuantEngine.set("  REFERENCE ");
        assertEquals("reference", QuantEngine.get());
        assertSame(QuantEngine.current(), QuantEngine.backend("Reference"));
    }

    @Test
    void withoutKernelModulesTheAutomaticDefaultIsReference() {
        assertEquals("reference", QuantEngine.automaticDefault());
    }

    @Test
    void unknownNamesListTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantEngine.set("turbo"));
        assertEquals("unknown engine 'turbo'; valid engines here: " + QuantEngine.supported(), e.getMessage());
        assertTrue(e.getMessage().contains("reference"));
        assertEquals("reference", QuantEngine.get(), "a failed set keeps the engine");
    }

    @Test
    void knownButMissingEnginesNameTheirModule() {
        IllegalArgumentException fb = assertThrows(IllegalArgumentException.class, () -> QuantEngine.set("fbgemm"));
        assertTrue(fb.getMessage().contains("vquant-kernels-x86") && fb.getMessage().contains("reference"), fb.getMessage());
        IllegalArgumentException x86 = assertThrows(IllegalArgumentException.class, () -> QuantEngine.set("x86"));
        assertTrue(x86.getMessage().contains("vquant-kernels-x86"), x86.getMessage());
        IllegalArgumentException qn = assertThrows(IllegalArgumentException.class, () -> QuantEngine.set("qnnpack"));
        assertTrue(qn.getMessage().contains("vquant-kernels-arm"), qn.getMessage());
    }

    @Test
    void emptyNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> QuantEngine.set(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantEngine.set(" "));
        assertTrue(e.getMessage().contains("must not be empty"), e.getMessage());
    }

    // ------------------------------------------------------------ isolated switch with three engines

    /** QuantEngine's static API, called reflectively inside the isolated loader. */
    record IsolatedSwitch(URLClassLoader loader, Class<?> engine) implements AutoCloseable {
        static IsolatedSwitch create(Path servicesRoot) throws IOException, ClassNotFoundException {
            Path services = servicesRoot.resolve("META-INF/services");
            Files.createDirectories(services);
            Files.writeString(services.resolve("dev.vquant.engine.spi.KernelBackend"),
                    SecondBackend.class.getName() + "\n" + UnavailableBackend.class.getName() + "\n");
            URL mainClasses = QuantEngine.class.getProtectionDomain().getCodeSource().getLocation();
            URL testClasses = SecondBackend.class.getProtectionDomain().getCodeSource().getLocation();
            URLClassLoader loader = new URLClassLoader("isolated-engine",
                    new URL[] {mainClasses, testClasses, servicesRoot.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            return new IsolatedSwitch(loader, loader.loadClass(QuantEngine.class.getName()));
        }

        Object call(String method, Object... args) throws Exception {
            Class<?>[] types = new Class<?>[args.length];
            java.util.Arrays.fill(types, String.class);
            Method m = engine.getMethod(method, types);
            try {
                return m.invoke(null, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw (Error) e.getCause();
            }
        }

        static String nameOf(Object backend) throws ReflectiveOperationException {
            return (String) backend.getClass().getMethod("name").invoke(backend);
        }

        @Override
        public void close() throws IOException {
            loader.close();
        }
    }

    @Test
    void aliasesUnavailableEnginesAndDiscovery(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        try (IsolatedSwitch sw = IsolatedSwitch.create(tmp)) {
            assertEquals(List.of("reference", "second"), sw.call("supported"));
            assertEquals(3, ((List<?>) sw.call("installed")).size());
            sw.call("set", "ZWEITE");
            assertEquals("second", sw.call("get"));
            assertEquals("second", IsolatedSwitch.nameOf(sw.call("backend", "2nd")));
            sw.call("set", "reference");
            assertEquals("reference", sw.call("get"));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sw.call("set", "unavailable"));
            assertEquals("engine 'unavailable' cannot run here: " + UnavailableBackend.REASON
                    + "; valid engines here: [reference, second]", e.getMessage());
            assertEquals("reference", sw.call("get"));
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> sw.call("set", "3rd"));
            assertTrue(unknown.getMessage().endsWith("valid engines here: [reference, second]"), unknown.getMessage());
        }
    }

    @Test
    void readersOnlyEverSeeAWholeBackendWhileAnotherThreadSwitches(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        try (IsolatedSwitch sw = IsolatedSwitch.create(tmp)) {
            Object reference = sw.call("backend", "reference");
            Object second = sw.call("backend", "second");
            Method current = sw.engine().getMethod("current");
            Class<?> backendType = sw.loader().loadClass(KernelBackend.class.getName());
            List<Method> families = List.of(backendType.getMethod("quantize"), backendType.getMethod("qgemm"),
                    backendType.getMethod("depthwise"), backendType.getMethod("floatGemm"), backendType.getMethod("floatDepthwise"));
            int readers = 3;
            int switches = 20_000;
            ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
            CountDownLatch start = new CountDownLatch(1);
            try {
                Future<?> writer = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < switches; i++) {
                        sw.call("set", i % 2 == 0 ? "second" : "reference");
                    }
                    return null;
                });
                List<Future<Integer>> reads = new java.util.ArrayList<>();
                for (int r = 0; r < readers; r++) {
                    reads.add(pool.submit(() -> {
                        start.await();
                        int seen = 0;
                        while (!writer.isDone() || seen < 1000) {
                            Object b = current.invoke(null);
                            assertTrue(b == reference || b == second, "current() returned " + b);
                            for (Method family : families) {
                                assertNotNull(family.invoke(b), family.getName());
                            }
                            assertEquals(b == reference ? "reference" : "second", IsolatedSwitch.nameOf(b));
                            seen++;
                        }
                        return seen;
                    }));
                }
                start.countDown();
                writer.get(2, TimeUnit.MINUTES);
                for (Future<Integer> f : reads) {
                    assertTrue(f.get(2, TimeUnit.MINUTES) >= 1000);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
