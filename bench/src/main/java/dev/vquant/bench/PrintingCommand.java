package dev.vquant.bench;

import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A {@code vquant} subcommand with {@code -h}/{@code --help}, printing its result on one stream and its
 * progress and diagnostics on the other (given by {@link Cli}, so tests can capture both). Its
 * {@link #call} returns the process exit status.
 */
public abstract class PrintingCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    /** Where the command prints its result (a table, CSV, Markdown). */
    protected final PrintStream out;

    /** Where the command prints progress and diagnostics. */
    protected final PrintStream err;

    /**
     * A command printing on {@code out} and {@code err}.
     *
     * @param out where the result goes (standard output in the CLI)
     * @param err where progress and diagnostics go (standard error in the CLI)
     */
    protected PrintingCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }
}
