package dev.vquant.bench;

import dev.vquant.bench.conformance.ConformanceRunner;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code vquant conformance DIR [--engine NAME]...}: PyTorch golden cases on each engine. */
@Command(name = "conformance", description = "Check PyTorch golden cases (e.g. bench/src/test/resources/golden) on each engine.")
final class ConformanceCommand extends PrintingCommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "The folder of golden .json files.")
    Path dir;

    @Option(names = "--engine", paramLabel = "NAME", converter = EngineConverter.class,
            description = "An engine to check (repeatable); default: every engine that runs here.")
    List<KernelBackend> engines = new ArrayList<>();

    ConformanceCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /** {@return the engines to check: those given, or every one that runs here} */
    List<KernelBackend> engines() {
        return engines.isEmpty() ? QuantEngine.supported().stream().map(QuantEngine::backend).toList() : List.copyOf(engines);
    }

    @Override
    public Integer call() throws Exception {
        ConformanceRunner.Totals t = new ConformanceRunner().run(dir, engines(), out);
        return t.failed() == 0 ? 0 : 1;
    }
}
