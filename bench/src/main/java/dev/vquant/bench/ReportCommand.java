package dev.vquant.bench;

import dev.vquant.bench.report.ReportCli;

import java.io.PrintStream;
import java.util.List;

/** {@code vquant report}: per model float vs int8 latency and size, beside PyTorch's, and the MNIST accuracy table. */
final class ReportCommand implements Command {

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "[--quick] [--engine E]... [--threads N]... [--model NAME]... [--html FILE] [--csv] [--no-accuracy]  "
                + "models: float vs int8 latency and size, vs PyTorch; MNIST accuracy";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        return ReportCli.run(args, out, System.err);
    }
}
