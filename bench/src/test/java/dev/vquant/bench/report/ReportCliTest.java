package dev.vquant.bench.report;

import dev.vquant.bench.accuracy.AccuracyTable;
import dev.vquant.engine.QuantEngine;
import dev.vquant.bench.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code vquant report} and their defaults, parsed without measuring anything. */
class ReportCliTest {
    private static ReportCli.Options parse(String... args) {
        return Parsed.command(ReportCli::new, args).options();
    }

    private static List<String> names(List<ModelEntry> models) {
        return models.stream().map(ModelEntry::name).toList();
    }

    @Test
    void defaultsAreEveryModelOnThreadsOneAndTwoAndTheVectorEngines() {
        ReportCli.Options o = parse();
        assertFalse(o.quick() || o.csv());
        assertTrue(o.accuracy());
        assertNull(o.html());
        assertEquals(AccuracyTable.defaultEngines(), o.engines());
        assertEquals(List.of(1, 2), o.threads());
        assertEquals(names(ModelRegistry.all()), names(o.models()));
    }

    @Test
    void quickIsTheQuickModelsOnOneThreadAndTheCurrentEngine() {
        ReportCli.Options o = parse("--quick");
        assertEquals(List.of(QuantEngine.get()), o.engines());
        assertEquals(List.of(1), o.threads());
        assertEquals(names(ModelRegistry.quick()), names(o.models()));
    }

    @Test
    void repeatedOptionsAreLists(@TempDir Path dir) {
        Path page = dir.resolve("r.html");
        ReportCli.Options o = parse("--quick", "--threads", "2", "--threads=4", "--engine", "reference", "--engine", "reference",
                "--model", "mnist_mlp", "--model", "mnist_cnn", "--csv", "--no-accuracy", "--html", page.toString());
        assertEquals(List.of(2, 4), o.threads());
        assertEquals(List.of("reference", "reference"), o.engines());
        assertEquals(List.of("mnist_mlp", "mnist_cnn"), names(o.models()));
        assertTrue(o.quick() && o.csv() && !o.accuracy());
        assertEquals(page, o.html());
    }

    @Test
    void badValuesAreParameterErrorsNamingThem() {
        for (List<String> bad : List.of(List.of("--threads", "0"), List.of("--threads", "two"), List.of("--html"),
                List.of("--model", "alexnet"), List.of("--html", "no/such/folder/r.html"), List.of("--engine", "tpu"), List.of("--fast"))) {
            CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                    () -> parse(bad.toArray(new String[0])), bad.toString());
            assertTrue(e.getMessage().contains(bad.get(bad.size() - 1)) || e.getMessage().contains(bad.get(0)), e.getMessage());
        }
    }
}
