package dev.vquant.bench.ratios;

/**
 * Median times of one case on one engine. {@code floatMs} is NaN for throughput rows.
 *
 * @param caseId the case's id
 * @param engine the engine's name
 * @param isa the engine's vector width ({@code V512}, {@code V128}, {@code REFERENCE}...)
 * @param threads the threads the runs used
 * @param floatMs median ms per float run, NaN for throughput rows
 * @param int8Ms median ms per int8 run
 * @param elements elements processed per int8 run (throughput rows), 0 otherwise
 */
public record Measurement(String caseId, String engine, String isa, int threads, double floatMs, double int8Ms,
                          long elements) {

    /** {@return float time / int8 time; NaN for throughput rows} */
    public double speedup() {
        return floatMs / int8Ms;
    }

    /** {@return elements per nanosecond of the int8 run, for throughput rows; NaN otherwise} */
    public double elementsPerNs() {
        return elements > 0 ? elements / (int8Ms * 1e6) : Double.NaN;
    }

    /** The line a child JVM prints for its parent. */
    String wire() {
        return "RESULT\t" + caseId + "\t" + engine + "\t" + isa + "\t" + threads + "\t" + floatMs + "\t" + int8Ms + "\t"
                + elements;
    }

    static Measurement parseWire(String line) {
        String[] f = line.split("\t");
        if (f.length != 8 || !f[0].equals("RESULT")) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        return new Measurement(f[1], f[2], f[3], Integer.parseInt(f[4]), Double.parseDouble(f[5]),
                Double.parseDouble(f[6]), Long.parseLong(f[7]));
    }
}
