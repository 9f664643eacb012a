package dev.vquant.bench.report;

import dev.vquant.bench.EngineConverter;
import dev.vquant.bench.PrintingCommand;
import dev.vquant.bench.NamedValueConverter;
import dev.vquant.bench.ThreadCountConverter;
import dev.vquant.bench.accuracy.AccuracyTable;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vquant report [--quick] [--engine E]... [--threads N]... [--model NAME]... [--html FILE] [--csv]
 * [--no-accuracy]}: per model float vs int8 latency and size, beside PyTorch's, and the MNIST accuracy table.
 */
@Command(name = "report", description = "Models: float vs int8 latency and size, beside PyTorch's; MNIST accuracy.")
public final class ReportCli extends PrintingCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "The quick models, one thread and the current engine (unless given).")
    boolean quick;

    @Option(names = "--engine", paramLabel = "E", converter = EngineConverter.class,
            description = "An engine to measure (repeatable); default: every vector engine that runs here.")
    List<KernelBackend> engines = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", converter = ThreadCountConverter.class,
            description = "An intra-op thread count (repeatable); default: 1 and 2.")
    List<Integer> threads = new ArrayList<>();

    @Option(names = "--model", paramLabel = "NAME", converter = ModelName.class,
            description = "A model to measure (repeatable); default: all, or the quick ones.")
    List<ModelEntry> models = new ArrayList<>();

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the report as an HTML page with charts.")
    Path html;

    @Option(names = "--csv", description = "CSV instead of Markdown.")
    boolean csv;

    @Option(names = "--no-accuracy", description = "Leave out the MNIST accuracy table.")
    boolean noAccuracy;

    /**
     * The command, printing the report on {@code out} and progress on {@code err}.
     *
     * @param out where the Markdown or CSV goes
     * @param err where progress and the written page's path are printed
     */
    public ReportCli(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /** What to run, the defaults filled in. */
    record Options(boolean quick, boolean csv, boolean accuracy, Path html, List<String> engines, List<Integer> threads,
                   List<ModelEntry> models) {
    }

    /** The value of {@code --model NAME}: the registry's model of that name. */
    static final class ModelName extends NamedValueConverter<ModelEntry> {
        ModelName() {
            super(ModelRegistry::byName);
        }
    }

    /**
     * The parsed options with their defaults: with {@code --quick} the registry's quick models, one thread
     * and the current engine unless given; otherwise every model, threads 1 and 2 and every vector engine
     * that runs here.
     *
     * @throws ParameterException when the {@code --html} page's folder does not exist or an engine does
     *   not run here
     */
    Options options() {
        if (html != null) {
            Path parent = html.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new ParameterException(spec.commandLine(), "--html " + html + ": folder " + parent + " does not exist");
            }
        }
        for (KernelBackend e : engines) {
            e.unavailableReason().ifPresent(why -> {
                throw new ParameterException(spec.commandLine(), "engine " + e.name() + " does not run here: " + why);
            });
        }
        List<String> engineNames = !engines.isEmpty() ? engines.stream().map(KernelBackend::name).toList()
                : quick ? List.of(QuantEngine.get()) : AccuracyTable.defaultEngines();
        List<Integer> threadCounts = !threads.isEmpty() ? threads : quick ? List.of(1) : List.of(1, 2);
        List<ModelEntry> chosen = !models.isEmpty() ? models : quick ? ModelRegistry.quick() : ModelRegistry.all();
        return new Options(quick, csv, !noAccuracy, html, List.copyOf(engineNames), List.copyOf(threadCounts),
                List.copyOf(chosen));
    }

    /**
     * Runs the report: accuracy table, model measurements, then Markdown or CSV on {@code out} and the page.
     *
     * @return the exit status, 0
     * @throws ParameterException for bad options, before measuring anything
     * @throws Exception when measuring or writing the page fails
     */
    @Override
    public Integer call() throws Exception {
        Options o = options();
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
