package dev.vquant.bench;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of the {@code vquant} CLI. */
public interface Command {

    /** The word that selects it: {@code vquant <name> ...}. */
    String name();

    /** One line for {@code vquant help}. */
    String summary();

    /**
     * Runs with the arguments after the name.
     *
     * @return the process exit status
     * @throws UsageException for bad arguments (printed with the summary, exit status 2)
     */
    int run(List<String> args, PrintStream out) throws Exception;

    /** Bad command-line arguments. */
    final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }
}
