package dev.vquant.bench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vquant.engine.spi.KernelBackend;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads every {@code *.json} golden file of a folder, runs its cases on each engine and prints
 * one line per file and engine, {@code <file> <engine>: N passed, M failed, S skipped}, with the
 * reasons for skips and the first failures below it, then a total line.
 */
public final class ConformanceRunner {
    /** Failure details printed per file and engine before eliding the rest. */
    private static final int MAX_FAILURE_LINES = 5;

    private final Map<String, CaseSuite> suites = new LinkedHashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    /**
     * A runner over every suite of {@link Suites#all()}, each for the golden files of its {@link
     * CaseSuite#fileKind()}.
     */
    public ConformanceRunner() {
        for (CaseSuite s : Suites.all()) {
            suites.put(s.fileKind(), s);
        }
    }

    /**
     * Counts over everything run.
     *
     * @param passed how many cases passed
     * @param failed how many failed
     * @param skipped how many this build cannot run yet
     */
    public record Totals(int passed, int failed, int skipped) {
        Totals plus(Totals o) {
            return new Totals(passed + o.passed, failed + o.failed, skipped + o.skipped);
        }

        @Override
        public String toString() {
            return passed + " passed, " + failed + " failed, " + skipped + " skipped";
        }
    }

    /**
     * Runs the folder on the engines and prints the report; the totals tell whether anything failed.
     *
     * @param dir the folder of golden {@code .json} files
     * @param engines the kernel backends to run every case on
     * @param out where the report is printed
     * @return the counts over every file and engine
     * @throws java.io.IOException if a golden file cannot be read or parsed
     * @throws IllegalArgumentException if {@code dir} is not a folder
     */
    public Totals run(Path dir, List<KernelBackend> engines, PrintStream out) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a folder of golden cases: " + dir);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .json golden files in " + dir);
        }
        Totals total = new Totals(0, 0, 0);
        for (Path f : files) {
            String name = f.getFileName().toString();
            String stem = name.substring(0, name.length() - ".json".length());
            JsonNode root = json.readTree(f.toFile());
            CaseSuite suite = suites.getOrDefault(stem,
                    new PendingSuite(stem, "no suite reads files named '" + stem + "' (known: " + suites.keySet() + ")"));
            for (KernelBackend engine : engines) {
                List<Outcome> outcomes = runSuite(suite, root, engine);
                Totals t = count(outcomes);
                total = total.plus(t);
                out.println(name + " " + engine.name() + ": " + t);
                printDetails(outcomes, out);
            }
        }
        out.println("total: " + total);
        return total;
    }

    private static List<Outcome> runSuite(CaseSuite suite, JsonNode root, KernelBackend engine) {
        try {
            return suite.run(root, engine);
        } catch (RuntimeException e) {
            // a crash fails every case of the file rather than hiding behind a stack trace
            List<Outcome> failed = new ArrayList<>();
            JsonNode cases = root.path("cases");
            for (int i = 0; i < Math.max(1, cases.size()); i++) {
                failed.add(Outcome.failed(cases.size() > 0 ? Golden.label(cases.get(i), i) : "file", "threw " + e));
            }
            return failed;
        }
    }

    private static Totals count(List<Outcome> outcomes) {
        int p = 0;
        int f = 0;
        int s = 0;
        for (Outcome o : outcomes) {
            switch (o.status()) {
                case PASSED -> p++;
                case FAILED -> f++;
                case SKIPPED -> s++;
            }
        }
        return new Totals(p, f, s);
    }

    private static void printDetails(List<Outcome> outcomes, PrintStream out) {
        Map<String, Integer> skipReasons = new LinkedHashMap<>();
        Map<String, Integer> passNotes = new LinkedHashMap<>();
        int failuresShown = 0;
        int failures = 0;
        for (Outcome o : outcomes) {
            if (o.status() == Outcome.Status.PASSED && !o.detail().isEmpty()) {
                passNotes.merge(o.detail(), 1, Integer::sum);
            } else if (o.status() == Outcome.Status.SKIPPED) {
                skipReasons.merge(o.detail(), 1, Integer::sum);
            } else if (o.status() == Outcome.Status.FAILED) {
                failures++;
                if (failuresShown < MAX_FAILURE_LINES) {
                    out.println("    FAILED " + o.label() + ": " + o.detail());
                    failuresShown++;
                }
            }
        }
        if (failures > failuresShown) {
            out.println("    ... and " + (failures - failuresShown) + " more failures");
        }
        passNotes.forEach((note, n) -> out.println("    passed " + n + ": " + note));
        skipReasons.forEach((reason, n) -> out.println("    skipped " + n + ": " + reason));
    }
}
