package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.core.Threads;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled PyTorch golden cases, through the same runner the CLI uses, on every engine that runs here. */
class ConformanceRunnerTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static List<KernelBackend> engines() {
        List<KernelBackend> e = new ArrayList<>();
        for (String name : QuantEngine.supported()) {
            e.add(QuantEngine.backend(name));
        }
        return e;
    }

    private static String run(Path dir, List<KernelBackend> engines, ConformanceRunner.Totals[] totals) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        totals[0] = new ConformanceRunner().run(dir, engines, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bundledGoldenCasesHaveNoFailuresOnAnyEngine() throws IOException {
        ConformanceRunner.Totals[] t = new ConformanceRunner.Totals[1];
        String report = run(GOLDEN, engines(), t);
        assertEquals(0, t[0].failed(), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("total: ")), report);
    }

    @Test
    void quantizeCasesAllPassOnEveryEngineWithNothingSkipped() throws IOException {
        for (KernelBackend engine : engines()) {
            for (String file : List.of("quantize_per_tensor", "quantize_per_channel", "fuse_conv_bn_relu")) {
                Path dir = Files.createTempDirectory("golden");
                Files.copy(GOLDEN.resolve(file + ".json"), dir.resolve(file + ".json"));
                ConformanceRunner.Totals[] t = new ConformanceRunner.Totals[1];
                String report = run(dir, List.of(engine), t);
                assertEquals(0, t[0].failed(), report);
                assertEquals(0, t[0].skipped(), report);
                assertTrue(t[0].passed() > 0, report);
                assertTrue(report.startsWith(file + ".json " + engine.name() + ": " + t[0].passed() + " passed, 0 failed, 0 skipped"),
                        report);
            }
        }
    }

    @Test
    void observerCasesAllPassOnEveryEngineWithNothingSkipped() throws IOException {
        Path dir = Files.createTempDirectory("golden-observers");
        Files.copy(GOLDEN.resolve("observers.json"), dir.resolve("observers.json"));
        for (KernelBackend engine : engines()) {
            ConformanceRunner.Totals[] t = new ConformanceRunner.Totals[1];
            String report = run(dir, List.of(engine), t);
            // MinMax, MovingAverageMinMax, PerChannelMinMax and HistogramObserver: 16 cases each
            assertEquals(new ConformanceRunner.Totals(64, 0, 0), t[0], report);
        }
    }

    @Test
    void aWrongObserverExpectationIsReportedAsAFailure() throws IOException {
        // the observer suite must be able to fail: change the zero point of the first HistogramObserver case
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(GOLDEN.resolve("observers.json").toFile());
        for (var c : root.get("cases")) {
            if (c.get("observer").asText().startsWith("HistogramObserver")) {
                ArrayNode zp = (ArrayNode) c.get("zero_point");
                zp.set(0, zp.get(0).asInt() + 1);
                break;
            }
        }
        Path dir = Files.createTempDirectory("golden-observers-broken");
        Files.writeString(dir.resolve("observers.json"), mapper.writeValueAsString(root));
        ConformanceRunner.Totals[] t = new ConformanceRunner.Totals[1];
        String report = run(dir, List.of(QuantEngine.backend("reference")), t);
        assertEquals(new ConformanceRunner.Totals(63, 1, 0), t[0], report);
        assertTrue(report.contains("HistogramObserver(bins=2048) mixed3"), report);
    }

    @Test
    void aFusedBiasOneBitOffIsAFailure() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(GOLDEN.resolve("fuse_conv_bn_relu.json").toFile());
        ArrayNode bits = (ArrayNode) root.get("cases").get(0).get("fused_bias").get("bits");
        bits.set(0, bits.get(0).asInt() + 1);
        Path dir = Files.createTempDirectory("golden-fuse-broken");
        Files.writeString(dir.resolve("fuse_conv_bn_relu.json"), mapper.writeValueAsString(root));
        ConformanceRunner.Totals[] t = new ConformanceRunner.Totals[1];
        String report = run(dir, List.of(QuantEngine.backend("reference")), t);
        assertEquals(1, t[0].failed(), report);
        assertTrue(report.contains("fused bias"), report);
    }

    /**
     * qelementwise (69 cases), qlstm_dynamic (4) and fake_quantize (9) on every engine, at 1 and 2
     * operator threads: elementwise results equal the engine's assigned PyTorch ints exactly, LSTM
     * results are within 1e-6, fake quantization is bit-exact; nothing fails and nothing is skipped.
     */
    @Test
    void elementwiseLstmAndFakeQuantizeCasesOnEveryEngineAtOneAndTwoThreads() throws IOException {
        Path dir = Files.createTempDirectory("golden-issue8");
        for (String file : List.of("qelementwise", "qlstm_dynamic", "fake_quantize")) {
            Files.copy(GOLDEN.resolve(file + ".json"), dir.resolve(file + ".json"));
        }
        int before = Threads.get();
        try {
            for (int threads : new int[] {1, 2}) {
                Threads.set(threads);
                for (KernelBackend engine : engines()) {
                    ConformanceRunner.Totals[] t = new ConformanceRunner.Totals[1];
                    String report = run(dir, List.of(engine), t);
                    String where = engine.name() + " at " + threads + " threads:\n" + report;
                    assertEquals(new ConformanceRunner.Totals(69 + 4 + 9, 0, 0), t[0], where);
                    assertTrue(report.contains("qelementwise.json " + engine.name() + ": 69 passed, 0 failed, 0 skipped"), where);
                    assertTrue(report.contains("qlstm_dynamic.json " + engine.name() + ": 4 passed, 0 failed, 0 skipped"), where);
                    assertTrue(report.contains("fake_quantize.json " + engine.name() + ": 9 passed, 0 failed, 0 skipped"), where);
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void aWrongExpectationIsReportedAsAFailure() throws IOException {
        // the runner must be able to fail: change one expected int of the first case
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(GOLDEN.resolve("quantize_per_tensor.json").toFile());
        ArrayNode ints = (ArrayNode) root.get("cases").get(0).get("output").get("int_repr");
        ints.set(0, ints.get(0).asInt() + 1);
        String broken = mapper.writeValueAsString(root);
        Path dir = Files.createTempDirectory("golden-broken");
        Files.writeString(dir.resolve("quantize_per_tensor.json"), broken);
        ConformanceRunner.Totals[] t = new ConformanceRunner.Totals[1];
        String report = run(dir, List.of(QuantEngine.backend("reference")), t);
        assertEquals(1, t[0].failed(), report);
        assertTrue(report.contains("FAILED"), report);
    }

    @Test
    void unknownFileKindsAreSkippedWithAReason() throws IOException {
        Path dir = Files.createTempDirectory("golden-unknown");
        Files.writeString(dir.resolve("something_new.json"), "{\"meta\": {}, \"cases\": [{\"label\": \"x\"}]}");
        ConformanceRunner.Totals[] t = new ConformanceRunner.Totals[1];
        String report = run(dir, List.of(QuantEngine.backend("reference")), t);
        assertEquals(new ConformanceRunner.Totals(0, 0, 1), t[0]);
        assertTrue(report.contains("skipped 1: no suite reads files named 'something_new'"), report);
    }
}
