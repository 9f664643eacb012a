package dev.vquant.bench.report;

import dev.vquant.bench.accuracy.AccuracyTable;

import java.io.PrintStream;
import java.util.Locale;

/** The report as Markdown tables (the seed's layout) or CSV. */
public final class TextReport {
    /** CSV header of the latency rows. */
    public static final String LATENCY_CSV_HEADER = "model,engine,isa,threads,float_ms,int8_ms,speedup,float_bytes,int8_bytes,"
            + "size_ratio,pytorch_float_ms,vquant_over_pytorch_float,pytorch_int8_ms,pytorch_int8_engine,vquant_over_pytorch_int8";

    private TextReport() {
    }

    /**
     * Markdown: the latency and size table, then the MNIST accuracy table, then where PyTorch's figures came from.
     *
     * @param d the report's data
     * @param out where the Markdown is printed
     */
    public static void markdown(ReportData d, PrintStream out) {
        out.println("## Latency and size, batch 1");
        out.println();
        out.println("Medians of float and int8 runs interleaved in one JVM; `speedup` = float ms / int8 ms on the same engine; "
                + "`vs PyTorch` = vquant ms / PyTorch ms on this machine kind (below 1: vquant faster; single-thread rows only).");
        out.println();
        out.println("| model | engine | threads | float ms | int8 ms | speedup | size float/int8 MB | ratio "
                + "| PyTorch float ms | float vs PyTorch | PyTorch int8 ms | int8 vs PyTorch |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (ModelRow r : d.rows()) {
            String pf = d.pytorchFloat(r).map(a -> ms(a.floatMs())).orElse("");
            String pfr = d.pytorchFloat(r).map(a -> ratio(r.floatMs() / a.floatMs())).orElse("");
            String pi = d.pytorchInt8(r).map(a -> ms(a.int8Ms()) + " (" + a.torch() + " " + a.engine() + ")").orElse("");
            String pir = d.pytorchInt8(r).map(a -> ratio(r.int8Ms() / a.int8Ms())).orElse("");
            out.println("| " + String.join(" | ", r.model(), r.engine() + " " + r.isa(), Integer.toString(r.threads()), ms(r.floatMs()),
                    ms(r.int8Ms()), ratio(r.speedup()), mb(r.floatBytes()) + " / " + mb(r.int8Bytes()), ratio(r.sizeRatio()), pf, pfr,
                    pi, pir) + " |");
        }
        out.println();
        if (!d.accuracy().isEmpty()) {
            out.println("## MNIST accuracy (`vquant accuracy`)");
            out.println();
            out.println("| model | scheme | engine | qconfig | split | top-1 % | agree float % | agree PyTorch |");
            out.println("|---|---|---|---|---|---:|---:|---:|");
            for (AccuracyTable.Row a : d.accuracy()) {
                out.println("| " + String.join(" | ", a.model(), a.scheme(), a.engine(), a.qconfig(), a.split(),
                        String.format(Locale.ROOT, "%.2f", a.top1()), String.format(Locale.ROOT, "%.2f", a.agreeFloat()),
                        a.hasPyTorch() ? a.agreePyTorch() + "/" + a.total() : "n/a") + " |");
            }
            out.println();
        }
        out.println("Models: ");
        for (ModelEntry e : d.models()) {
            out.println("- `" + e.name() + "`: " + e.description());
        }
        out.println();
        out.println("Machine: " + d.machine() + ". PyTorch's figures: " + sources(d) + ".");
    }

    /**
     * CSV: the latency rows under {@link #LATENCY_CSV_HEADER}, an empty line, the accuracy rows under theirs.
     *
     * @param d the report's data
     * @param out where the CSV is printed
     */
    public static void csv(ReportData d, PrintStream out) {
        out.println(LATENCY_CSV_HEADER);
        for (ModelRow r : d.rows()) {
            out.println(String.join(",", r.model(), r.engine(), r.isa(), Integer.toString(r.threads()), num(r.floatMs()),
                    num(r.int8Ms()), num(r.speedup()), Long.toString(r.floatBytes()), Long.toString(r.int8Bytes()), num(r.sizeRatio()),
                    d.pytorchFloat(r).map(a -> num(a.floatMs())).orElse(""),
                    d.pytorchFloat(r).map(a -> num(r.floatMs() / a.floatMs())).orElse(""),
                    d.pytorchInt8(r).map(a -> num(a.int8Ms())).orElse(""),
                    d.pytorchInt8(r).map(a -> a.torch() + " " + a.engine()).orElse(""),
                    d.pytorchInt8(r).map(a -> num(r.int8Ms() / a.int8Ms())).orElse("")));
        }
        if (!d.accuracy().isEmpty()) {
            out.println();
            out.println(AccuracyTable.CSV_HEADER);
            for (AccuracyTable.Row a : d.accuracy()) {
                out.println(a.csv());
            }
        }
    }

    /** The distinct sources of the PyTorch figures the rows use. */
    static String sources(ReportData d) {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (ModelRow r : d.rows()) {
            d.pytorchFloat(r).ifPresent(a -> s.add(a.source()));
            d.pytorchInt8(r).ifPresent(a -> s.add(a.source()));
        }
        return s.isEmpty() ? "none for these models" : String.join("; ", s);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 1 ? "%.2f" : v >= 0.01 ? "%.4f" : "%.6f", v);
    }

    static String mb(long bytes) {
        double v = bytes / 1e6;
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : v >= 0.1 ? "%.2f" : "%.4f", v);
    }

    static String ratio(double v) {
        return String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
