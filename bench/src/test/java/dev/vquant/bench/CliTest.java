package dev.vquant.bench;

import dev.vquant.engine.QuantEngine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code vquant} command line: subcommand dispatch, usage help, usage errors (exit status 2, naming
 * the bad argument) and the options of the commands in this package, parsed without running them.
 */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return Cli.run(List.of(args), outStream, errStream);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The subcommand's object after parsing {@code args} (nothing runs). */
    private Object parsed(String... args) {
        CommandLine.ParseResult r = Cli.commandLine(outStream, errStream).parseArgs(args);
        assertTrue(r.hasSubcommand(), List.of(args).toString());
        return r.subcommand().commandSpec().userObject();
    }

    @Test
    void enginesDescribesThisMachine() {
        assertEquals(0, run("engines"));
        String s = out();
        assertTrue(s.contains("os.arch:       " + System.getProperty("os.arch")), s);
        assertTrue(s.contains("reference  runs here"), s);
        assertTrue(s.lines().anyMatch(l -> l.startsWith("default:")), s);
    }

    @Test
    void enginesTakesNoArguments() {
        assertEquals(2, run("engines", "extra"));
        assertTrue(err().contains("vquant engines: Unmatched argument at index 1: 'extra'"), err());
    }

    @Test
    void helpListsEveryCommandAndTheLauncherOnlyTest() {
        assertEquals(0, run("help"));
        String s = out();
        assertTrue(s.startsWith("Usage: vquant "), s);
        for (String c : List.of("engines", "conformance", "accuracy", "ratios", "peers", "report", "jmh", "help", "test")) {
            assertTrue(s.lines().anyMatch(l -> l.trim().startsWith(c + " ")), c + " missing:\n" + s);
        }
        out.reset();
        assertEquals(0, run("--help"));
        assertEquals(s, out());
    }

    @Test
    void withoutACommandTheUsageIsAUsageError() {
        assertEquals(2, run());
        assertTrue(out().startsWith("Usage: vquant "), out());
    }

    @Test
    void eachCommandPrintsItsUsage() {
        for (String c : List.of("engines", "conformance", "accuracy", "ratios", "peers", "report")) {
            out.reset();
            assertEquals(0, run(c, "--help"), c);
            assertTrue(out().startsWith("Usage: vquant " + c + " "), out());
            String viaHelp = out();
            out.reset();
            assertEquals(0, run("help", c), c);
            assertEquals(viaHelp, out());
        }
        assertTrue(out().contains("--no-accuracy") && out().contains("--threads=N"), out());
        assertTrue(err().isEmpty(), err());
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("Unmatched argument at index 0: 'frobnicate'"), err());
    }

    @Test
    void unknownOptionIsAUsageErrorNamingIt() {
        assertEquals(2, run("ratios", "--fast"));
        assertTrue(err().startsWith("vquant ratios: Unknown option: '--fast'"), err());
        assertTrue(err().contains("Usage: vquant ratios "), err());
        assertTrue(out().isEmpty(), out());
    }

    @Test
    void missingValueIsAUsageError() {
        assertEquals(2, run("ratios", "--case"));
        assertTrue(err().contains("Missing required parameter for option '--case' (REGEX)"), err());
    }

    @Test
    void unknownEngineNamesTheValidOnes() {
        assertEquals(2, run("conformance", "src/test/resources/golden", "--engine", "tpu"));
        assertTrue(err().contains("Invalid value for option '--engine' (NAME): unknown engine 'tpu'") && err().contains("reference"), err());
    }

    @Test
    void reportRefusesABadThreadCountBeforeMeasuring() {
        for (String bad : List.of("0", "two", "1025")) {
            err.reset();
            assertEquals(2, run("report", "--threads", bad));
            assertTrue(err().startsWith("vquant report: Invalid value for option '--threads' (N): a thread count is a positive"
                    + " integer up to 1024, got '" + bad + "'"), err());
        }
        assertTrue(out().isEmpty(), out());
    }

    @Test
    void conformanceFailsOnAMissingFolder() {
        assertEquals(2, run("conformance", "no/such/folder"));
        assertTrue(err().contains("not a folder of golden cases"), err());
    }

    @Test
    void conformanceNeedsExactlyOneFolder() {
        assertEquals(2, run("conformance"));
        assertTrue(err().contains("Missing required parameter: 'DIR'"), err());
        err.reset();
        assertEquals(2, run("conformance", "a", "b"));
        assertTrue(err().contains("Unmatched argument at index 2: 'b'"), err());
    }

    @Test
    void conformanceTakesRepeatedEnginesOrEveryOneThatRunsHere() {
        ConformanceCommand c = (ConformanceCommand) parsed("conformance", "golden", "--engine", "reference", "--engine=reference");
        assertEquals(Path.of("golden"), c.dir);
        assertEquals(List.of("reference", "reference"), c.engines().stream().map(b -> b.name()).toList());
        ConformanceCommand all = (ConformanceCommand) parsed("conformance", "golden");
        assertEquals(QuantEngine.supported(), all.engines().stream().map(b -> b.name()).toList());
    }

    @Test
    void jmhPassesEveryArgumentThroughUnchanged() {
        List<String> args = List.of("OpBench.int8", "-p", "engine=fbgemm", "-prof", "gc", "-h", "--help", "--", "@file", "-wi", "0");
        String[] all = new String[args.size() + 1];
        all[0] = "jmh";
        for (int i = 0; i < args.size(); i++) {
            all[i + 1] = args.get(i);
        }
        assertEquals(args, ((JmhCommand) parsed(all)).jmhArgs);
        assertEquals(List.of("-h"), ((JmhCommand) parsed("jmh", "-h")).jmhArgs);
        assertEquals(List.of("-prof", "gc"), ((JmhCommand) parsed("jmh", "-prof", "gc")).jmhArgs);
        assertEquals(List.of("--", "-h"), ((JmhCommand) parsed("jmh", "--", "-h")).jmhArgs);
        assertEquals(List.of(), ((JmhCommand) parsed("jmh")).jmhArgs);
    }

    @Test
    void threadCountsAreOneTo1024() {
        ThreadCountConverter c = new ThreadCountConverter();
        assertEquals(1, c.convert("1"));
        assertEquals(1024, c.convert("1024"));
        for (String bad : List.of("0", "-1", "1025", "2.5", "", "two")) {
            assertTrue(assertThrows(CommandLine.TypeConversionException.class, () -> c.convert(bad)).getMessage()
                    .endsWith("got '" + bad + "'"), bad);
        }
    }
}
