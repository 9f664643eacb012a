package dev.vquant.bench.report;

import dev.vquant.bench.Command;
import dev.vquant.bench.OptionValues;
import dev.vquant.bench.accuracy.AccuracyTable;
import dev.vquant.engine.QuantEngine;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Argument handling and the run of {@code vquant report [--quick] [--engine E]... [--threads N]...
 * [--model NAME]... [--html FILE] [--csv] [--no-accuracy]}.
 */
public final class ReportCli {
    private ReportCli() {
    }

    /** Parsed options. */
    record Options(boolean quick, boolean csv, boolean accuracy, Path html, List<String> engines, List<Integer> threads,
                   List<ModelEntry> models) {
    }

    /**
     * Parses the options: {@code --quick} (the registry's quick models, one thread and the default engine
     * unless given), {@code --engine NAME} (repeatable; default every
     * vector engine that runs here), {@code --threads N} (repeatable; default 1 and 2),
     * {@code --model NAME} (repeatable; default all, or the quick ones), {@code --html FILE},
     * {@code --csv}, {@code --no-accuracy}.
     *
     * @throws IllegalArgumentException naming a bad option or value
     */
    static Options parse(List<String> args) {
        boolean quick = false;
        boolean csv = false;
        boolean accuracy = true;
        Path html = null;
        List<String> engines = new ArrayList<>();
        List<Integer> threads = new ArrayList<>();
        List<ModelEntry> models = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--quick" -> quick = true;
                case "--csv" -> csv = true;
                case "--no-accuracy" -> accuracy = false;
                case "--html" -> html = Path.of(OptionValues.valueAt(args, ++i, a));
                case "--engine" -> engines.add(QuantEngine.backend(OptionValues.valueAt(args, ++i, a)).name());
                case "--model" -> models.add(ModelRegistry.byName(OptionValues.valueAt(args, ++i, a)));
                case "--threads" -> threads.add(threadCount(OptionValues.valueAt(args, ++i, a)));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (html != null) {
            Path parent = html.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("--html " + html + ": folder " + parent + " does not exist");
            }
        }
        for (String e : engines) {
            QuantEngine.backend(e).unavailableReason().ifPresent(why -> {
                throw new IllegalArgumentException("engine " + e + " does not run here: " + why);
            });
        }
        if (engines.isEmpty()) {
            engines.addAll(quick ? List.of(QuantEngine.get()) : AccuracyTable.defaultEngines());
        }
        if (threads.isEmpty()) {
            threads.addAll(quick ? List.of(1) : List.of(1, 2));
        }
        if (models.isEmpty()) {
            models.addAll(quick ? ModelRegistry.quick() : ModelRegistry.all());
        }
        return new Options(quick, csv, accuracy, html, List.copyOf(engines), List.copyOf(threads), List.copyOf(models));
    }

    private static int threadCount(String s) {
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threads takes a positive integer, got '" + s + "'");
        }
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("--threads takes a positive integer up to 1024, got " + n);
        }
        return n;
    }

    /**
     * Runs the report: accuracy table, model measurements, then Markdown or CSV on {@code out} and the page.
     *
     * @throws Command.UsageException for bad options
     * @param args the options
     * @param out where the Markdown or CSV goes
     * @param err where progress and the written page's path are printed
     * @return the exit status, 0
     * @throws Exception when measuring or writing the page fails
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            throw new Command.UsageException(e.getMessage());
        }
        long start = System.nanoTime();
        List<AccuracyTable.Row> accuracyRows = new ArrayList<>();
        AccuracyTable accuracy = o.accuracy() ? AccuracyTable.bundled(o.engines(), null) : null;
        int steps = (accuracy == null ? 0 : accuracy.rowCount()) + ModelBench.rowCount(o.models(), o.engines(), o.threads());
        List<ModelRow> rows;
        try (ReportProgress progress = ReportProgress.start("vquant report", steps, err)) {
            if (accuracy != null) {
                progress.doing("MNIST accuracy");
                accuracy.run(row -> {
                    accuracyRows.add(row);
                    progress.step();
                }, note -> { });
            }
            progress.doing(o.models().get(0).name());
            rows = new ModelBench().measure(o.models(), o.engines(), o.threads(), row -> {
                progress.step();
                progress.doing(row.model() + " " + row.engine() + " t" + row.threads() + ": " + TextReport.ratio(row.speedup()));
            });
        }
        ReportData data = new ReportData(machine(o), o.models(), rows, accuracyRows, PyTorchAnchors.bundled());
        if (o.csv()) {
            TextReport.csv(data, out);
        } else {
            TextReport.markdown(data, out);
        }
        if (o.html() != null) {
            Files.writeString(o.html(), HtmlReport.page(data), StandardCharsets.UTF_8);
            err.println("vquant report: wrote " + o.html());
        }
        err.printf("vquant report: done in %.0f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static String machine(Options o) {
        return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Java "
                + Runtime.version() + ", engines " + String.join(", ", o.engines().stream()
                .map(e -> e + " (" + QuantEngine.backend(e).isaDescription() + ")").toList())
                + (o.quick() ? ", quick mode" : "");
    }
}
