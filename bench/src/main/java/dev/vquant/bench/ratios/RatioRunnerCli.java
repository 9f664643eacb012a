package dev.vquant.bench.ratios;

import dev.vquant.bench.OptionValues;
import dev.vquant.bench.workload.CaseSpec;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Argument handling of {@code vquant ratios}. */
public final class RatioRunnerCli {
    private RatioRunnerCli() {
    }

    /**
     * Options: {@code --quick} (short warm-up and fewer rounds; without {@code --case} only the
     * kernel-level cases), {@code --engine NAME} (repeatable;
     * default the current engine), {@code --csv} (CSV instead of the table), {@code --mixed} (all
     * cases in one JVM), {@code --case REGEX} (only matching case ids).
     *
     * @param args the options
     * @param out where the table or CSV is printed
     * @return the exit status, 0
     * @throws Exception when a case fails to run (a child JVM that fails, bad options as
     *   IllegalArgumentException)
     */
    public static int run(List<String> args, PrintStream out) throws Exception {
        boolean quick = false;
        boolean csv = false;
        boolean mixed = false;
        String filter = null;
        List<KernelBackend> engines = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--quick" -> quick = true;
                case "--csv" -> csv = true;
                case "--mixed" -> mixed = true;
                case "--engine" -> engines.add(QuantEngine.backend(OptionValues.valueAt(args, ++i, a)));
                case "--case" -> filter = OptionValues.valueAt(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (engines.isEmpty()) {
            engines.add(QuantEngine.current());
        }
        // --quick alone measures the kernel-level cases (under two minutes); op-level rows need a
        // full run or an explicit --case, e.g. --quick --case '^op_'
        List<CaseSpec> cases = quick && filter == null ? RatioCatalog.kernelCases() : RatioCatalog.matching(filter);
        RatioRunner runner = new RatioRunner(quick);
        List<Measurement> rows = new ArrayList<>();
        for (KernelBackend e : engines) {
            System.err.println("ratios: " + cases.size() + " cases on " + e.name() + " (" + e.isaDescription() + "), "
                    + (mixed ? "mixed: all in one JVM" : "isolated: one JVM per case") + (quick ? ", quick" : ""));
            rows.addAll(mixed ? runner.mixed(cases, e, System.err) : runner.isolated(cases, e, System.err));
        }
        if (csv) {
            Report.csv(rows, out);
        } else {
            Report.table(rows, out);
        }
        return 0;
    }
}
