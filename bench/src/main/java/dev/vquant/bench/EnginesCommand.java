package dev.vquant.bench;

import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.Optional;

/** {@code vquant engines}: the machine, its vector sizes, and each engine's status here. */
@Command(name = "engines", description = "os.arch, vector sizes, each engine (runnable here? which ISA width) and the default.")
final class EnginesCommand extends PrintingCommand {
    EnginesCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    public Integer call() {
        out.println("os.arch:       " + System.getProperty("os.arch"));
        out.println("java:          " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        out.println("vector bits:   preferred float " + FloatVector.SPECIES_PREFERRED.vectorBitSize()
                + ", int " + IntVector.SPECIES_PREFERRED.vectorBitSize()
                + ", byte " + ByteVector.SPECIES_PREFERRED.vectorBitSize()
                + "; max float " + FloatVector.SPECIES_MAX.vectorBitSize());
        out.println("engines:");
        for (KernelBackend b : QuantEngine.installed()) {
            Optional<String> why = b.unavailableReason();
            String aliases = b.aliases().isEmpty() ? "" : " (alias " + String.join(", ", b.aliases()) + ")";
            if (why.isEmpty()) {
                out.printf("  %-10s runs here   %s%s%n", b.name(), b.isaDescription(), aliases);
            } else {
                out.printf("  %-10s unavailable: %s%s%n", b.name(), why.get(), aliases);
            }
        }
        out.println("default:       " + QuantEngine.get()
                + (System.getProperty(QuantEngine.PROPERTY) != null ? " (set by -D" + QuantEngine.PROPERTY + ")" : " (automatic)"));
        return 0;
    }
}
