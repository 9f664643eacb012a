package dev.vquant.bench.ratios;

import dev.vquant.bench.EngineConverter;
import dev.vquant.bench.PrintingCommand;
import dev.vquant.bench.workload.CaseSpec;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vquant ratios [--quick] [--engine NAME]... [--csv] [--mixed] [--case REGEX]}: float vs int8
 * per case, same JVM, interleaved, medians. The child JVMs it starts take {@link RatioRunner#main}'s
 * positional arguments, which are internal.
 */
@Command(name = "ratios", description = "Float vs int8 speed ratios per case: same JVM, interleaved, medians.")
public final class RatioRunnerCli extends PrintingCommand {
    @Option(names = "--quick", description = "Short warm-up and fewer rounds; without --case only the kernel-level cases.")
    boolean quick;

    @Option(names = "--engine", paramLabel = "NAME", converter = EngineConverter.class,
            description = "An engine to measure (repeatable); default: the current engine.")
    List<KernelBackend> engines = new ArrayList<>();

    @Option(names = "--csv", description = "CSV instead of the table.")
    boolean csv;

    @Option(names = "--mixed", description = "All cases in one JVM (default: one JVM per case).")
    boolean mixed;

    @Option(names = "--case", paramLabel = "REGEX", description = "Only the cases whose id matches (anywhere in the id).")
    String filter;

    /**
     * The command, printing its table or CSV on {@code out} and its progress on {@code err}.
     *
     * @param out where the table or CSV is printed
     * @param err where progress is printed
     */
    public RatioRunnerCli(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /** {@return the engines to measure: those given, or the current one} */
    List<KernelBackend> engines() {
        return engines.isEmpty() ? List.of(QuantEngine.current()) : List.copyOf(engines);
    }

    /**
     * {@return the cases to measure} {@code --quick} alone measures the kernel-level cases (under two
     * minutes); op-level rows need a full run or an explicit {@code --case}, e.g. {@code --quick --case '^op_'}.
     *
     * @throws IllegalArgumentException when no case matches {@code --case} or it is not a regex
     */
    List<CaseSpec> cases() {
        return quick && filter == null ? RatioCatalog.kernelCases() : RatioCatalog.matching(filter);
    }

    /**
     * Measures the cases on each engine and prints the table or CSV.
     *
     * @return the exit status, 0
     * @throws Exception when a case fails to run (a child JVM that fails)
     */
    @Override
    public Integer call() throws Exception {
        List<CaseSpec> cases = cases();
        RatioRunner runner = new RatioRunner(quick);
        List<Measurement> rows = new ArrayList<>();
        for (KernelBackend e : engines()) {
            err.println("ratios: " + cases.size() + " cases on " + e.name() + " (" + e.isaDescription() + "), "
                    + (mixed ? "mixed: all in one JVM" : "isolated: one JVM per case") + (quick ? ", quick" : ""));
            rows.addAll(mixed ? runner.mixed(cases, e, err) : runner.isolated(cases, e, err));
        }
        if (csv) {
            Report.csv(rows, out);
        } else {
            Report.table(rows, out);
        }
        return 0;
    }
}
