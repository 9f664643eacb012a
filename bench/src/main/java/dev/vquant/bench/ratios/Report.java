package dev.vquant.bench.ratios;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The ratio runner's table and CSV. */
final class Report {
    static final String CSV_HEADER = "case,engine,isa,threads,float_ms,int8_ms,speedup";

    private Report() {
    }

    static String progressLine(Measurement m) {
        return "  measured " + m.caseId() + " on " + m.engine() + ": " + summary(m);
    }

    private static String summary(Measurement m) {
        if (Double.isNaN(m.floatMs())) {
            return String.format(Locale.ROOT, "int8 %.4f ms, %.2f elements/ns", m.int8Ms(), m.elementsPerNs());
        }
        return String.format(Locale.ROOT, "float %.4f ms, int8 %.4f ms, %.2fx", m.floatMs(), m.int8Ms(), m.speedup());
    }

    static void table(List<Measurement> rows, PrintStream out) {
        out.printf(Locale.ROOT, "%-34s %-10s %-6s %7s %11s %11s %8s %12s%n", "case", "engine", "isa", "threads",
                "float_ms", "int8_ms", "speedup", "elements/ns");
        for (Measurement m : rows) {
            out.printf(Locale.ROOT, "%-34s %-10s %-6s %7d %11s %11s %8s %12s%n", m.caseId(), m.engine(), m.isa(),
                    m.threads(), RatioRunner.fmt(m.floatMs()), RatioRunner.fmt(m.int8Ms()),
                    Double.isNaN(m.speedup()) ? "" : String.format(Locale.ROOT, "%.2fx", m.speedup()),
                    Double.isNaN(m.elementsPerNs()) ? "" : String.format(Locale.ROOT, "%.2f", m.elementsPerNs()));
        }
    }

    static void csv(List<Measurement> rows, PrintStream out) {
        out.println(CSV_HEADER);
        for (Measurement m : rows) {
            out.println(String.join(",", m.caseId(), m.engine(), m.isa(), Integer.toString(m.threads()),
                    RatioRunner.fmt(m.floatMs()), RatioRunner.fmt(m.int8Ms()),
                    Double.isNaN(m.speedup()) ? "" : String.format(Locale.ROOT, "%.3f", m.speedup())));
        }
    }
}
