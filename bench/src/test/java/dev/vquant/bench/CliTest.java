package dev.vquant.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void enginesDescribesThisMachine() {
        assertEquals(0, run("engines"));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("os.arch:       " + System.getProperty("os.arch")), s);
        assertTrue(s.contains("reference  runs here"), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("default:")), s);
    }

    @Test
    void unknownEngineNamesTheValidOnes() {
        assertEquals(2, run("conformance", "src/test/resources/golden", "--engine", "tpu"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("unknown engine 'tpu'") && e.contains("reference"), e);
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
    }

    @Test
    void reportRefusesABadThreadCountBeforeMeasuring() {
        assertEquals(2, run("report", "--threads", "0"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("vquant report: --threads takes a positive integer up to 1024, got 0"), e);
        assertTrue(out.toString(StandardCharsets.UTF_8).isEmpty());
    }

    @Test
    void conformanceFailsOnAMissingFolder() {
        assertEquals(2, run("conformance", "no/such/folder"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a folder of golden cases"));
    }
}
