package dev.vquant.bench;

import dev.vquant.bench.accuracy.AccuracyCommand;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of {@code vquant.jar}: dispatches to the subcommands. */
public final class Cli {
    private Cli() {
    }

    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : List.of(new EnginesCommand(), new ConformanceCommand(), new AccuracyCommand(), new RatiosCommand(),
                new PeersCommand(), new ReportCommand(), new JmhCommand())) {
            m.put(c.name(), c);
        }
        return m;
    }

    /**
     * Runs the CLI on {@code args} and exits the JVM with the subcommand's exit status.
     *
     * @param args the subcommand name and its arguments
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands();
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            out.println("usage: vquant <command> [args]");
            out.println("  test                      the full test suite (launcher only: mvn verify)");
            for (Command c : commands.values()) {
                out.printf("  %-25s %s%n", c.name(), c.summary());
            }
            return args.isEmpty() ? 2 : 0;
        }
        Command c = commands.get(args.get(0));
        if (c == null) {
            err.println("vquant: unknown command '" + args.get(0) + "'; commands: test, " + String.join(", ", commands.keySet()));
            return 2;
        }
        try {
            return c.run(args.subList(1, args.size()), out);
        } catch (Command.UsageException e) {
            err.println("vquant " + c.name() + ": " + e.getMessage());
            err.println("  " + c.name() + ": " + c.summary());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("vquant " + c.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("vquant " + c.name() + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
