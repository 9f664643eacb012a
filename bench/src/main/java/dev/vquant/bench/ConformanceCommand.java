package dev.vquant.bench;

import dev.vquant.bench.conformance.ConformanceRunner;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code vquant conformance DIR [--engine NAME]...}: PyTorch golden cases on each engine. */
final class ConformanceCommand implements Command {

    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public String summary() {
        return "DIR [--engine NAME]...  check PyTorch golden cases (e.g. bench/src/test/resources/golden)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Path dir = null;
        List<KernelBackend> engines = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--engine")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--engine needs a name");
                }
                engines.add(QuantEngine.backend(args.get(++i)));
            } else if (a.startsWith("--engine=")) {
                engines.add(QuantEngine.backend(a.substring("--engine=".length())));
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a);
            } else if (dir == null) {
                dir = Path.of(a);
            } else {
                throw new UsageException("only one folder, got " + dir + " and " + a);
            }
        }
        if (dir == null) {
            throw new UsageException("give the folder of golden .json files");
        }
        if (engines.isEmpty()) {
            for (String name : QuantEngine.supported()) {
                engines.add(QuantEngine.backend(name));
            }
        }
        ConformanceRunner.Totals t = new ConformanceRunner().run(dir, engines, out);
        return t.failed() == 0 ? 0 : 1;
    }
}
