package dev.vquant.bench;

import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.BiFunction;

/** Tests' access to a subcommand after picocli parsed its options, without running it. */
public final class Parsed {
    private Parsed() {
    }

    /**
     * A command made by {@code constructor} (printing nowhere) with {@code args} parsed into it.
     *
     * @param constructor the command's constructor taking its output and error streams
     * @param args the command's arguments (after its name)
     * @param <T> the command's class
     * @return the command, its options set
     * @throws CommandLine.ParameterException for arguments picocli refuses
     */
    public static <T> T command(BiFunction<PrintStream, PrintStream, T> constructor, String... args) {
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        T c = constructor.apply(none, none);
        new CommandLine(c).parseArgs(args);
        return c;
    }
}
