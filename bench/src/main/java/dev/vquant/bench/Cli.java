package dev.vquant.bench;

import dev.vquant.bench.accuracy.AccuracyCommand;
import dev.vquant.bench.peers.PeersCli;
import dev.vquant.bench.ratios.RatioRunnerCli;
import dev.vquant.bench.report.ReportCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Entry point of {@code vquant.jar}: the {@code vquant} command, whose subcommands are the
 * {@code @Command} classes registered in {@link #commandLine}; picocli parses their options, prints
 * their usage ({@code vquant help}, {@code vquant help CMD}, {@code vquant CMD --help}) and reports
 * usage errors (exit status 2).
 */
@Command(name = "vquant", synopsisSubcommandLabel = "COMMAND",
        description = "int8 inference for the JVM: conformance with PyTorch, speed and accuracy measurements.",
        footer = {"", "The launcher ./vquant also runs:", "  test         the full test suite (mvn verify, then the arm64 run)"})
public final class Cli implements Callable<Integer> {
    /** The exit status of a usage error: bad or missing options, values or subcommand. */
    public static final int USAGE_ERROR = 2;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    private Cli() {
    }

    /**
     * Runs the CLI on {@code args} and exits the JVM with the subcommand's exit status.
     *
     * @param args the subcommand name and its arguments
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Without a subcommand: the usage, and the status of a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE_ERROR;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args.toArray(new String[0]));
    }

    /**
     * The {@code vquant} command with every subcommand, writing results to {@code out} and usage
     * errors, diagnostics and progress to {@code err}.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Cli());
        for (Object c : List.of(new EnginesCommand(out, err), new ConformanceCommand(out, err), new AccuracyCommand(out, err),
                new RatioRunnerCli(out, err), new PeersCli(out, err), new ReportCli(out, err), new JmhCommand())) {
            cl.addSubcommand(c);
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
        // arguments are taken as typed: no @file expansion (a --case regex or a JMH argument may start with @)
        cl.setExpandAtFiles(false);
        // everything after `jmh` goes to JMH unchanged: parsing stops at the first argument, which is taken as
        // positional even when it looks like an option (-h, -prof), and `--` is no end-of-options marker there
        CommandLine jmh = cl.getSubcommands().get(JmhCommand.NAME);
        jmh.setStopAtPositional(true);
        jmh.setUnmatchedOptionsArePositionalParams(true);
        jmh.setEndOfOptionsDelimiter("\0");
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler(Cli::usageError);
        cl.setExecutionExceptionHandler(Cli::failure);
        return cl;
    }

    /** A usage error found by picocli (or thrown by a command's checks): the message, then the command's usage. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            cmd.usage(err);
        }
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A command that failed while running: a bad value only its run could check (an engine that does not
     * run here, a folder without golden cases, a regex no case matches) is a usage error; anything else
     * a failure (exit status 1) with its stack trace.
     */
    private static int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        if (e instanceof IllegalArgumentException) {
            err.println(name + ": " + e.getMessage());
            return USAGE_ERROR;
        }
        err.println(name + " failed: " + e);
        e.printStackTrace(err);
        return 1;
    }
}
