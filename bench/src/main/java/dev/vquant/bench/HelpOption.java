package dev.vquant.bench;

import picocli.CommandLine.Option;

/** The {@code -h}/{@code --help} option of every {@code vquant} command but {@code jmh} (whose arguments are JMH's). */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean requested;

    /** Created by picocli for each command that mixes it in. */
    public HelpOption() {
    }
}
