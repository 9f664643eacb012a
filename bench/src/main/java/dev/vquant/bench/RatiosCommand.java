package dev.vquant.bench;

import dev.vquant.bench.ratios.RatioRunnerCli;

import java.io.PrintStream;
import java.util.List;

/** {@code vquant ratios}: float vs int8 per case, same JVM, interleaved, medians. */
final class RatiosCommand implements Command {

    @Override
    public String name() {
        return "ratios";
    }

    @Override
    public String summary() {
        return "[--quick] [--engine NAME]... [--csv] [--mixed] [--case REGEX]  float vs int8 speed ratios (--quick: kernel cases only unless --case)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        try {
            return RatioRunnerCli.run(args, out);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
