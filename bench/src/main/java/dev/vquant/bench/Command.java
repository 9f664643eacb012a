package dev.vquant.bench;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of the {@code vquant} CLI. */
public interface Command {

    /** {@return the word that selects it: {@code vquant <name> ...}} */
    String name();

    /** {@return one line for {@code vquant help}} */
    String summary();

    /**
     * Runs with the arguments after the name.
     *
     * @param args the arguments after the name
     * @param out where the command prints its result (diagnostics go to standard error)
     * @return the process exit status
     * @throws UsageException for bad arguments (printed with the summary, exit status 2)
     */
    int run(List<String> args, PrintStream out) throws Exception;

    /** Bad command-line arguments. */
    final class UsageException extends Exception {
        /**
         * A usage error described by {@code message}.
         *
         * @param message what is wrong with the arguments, printed before the summary
         */
        public UsageException(String message) {
            super(message);
        }
    }
}
