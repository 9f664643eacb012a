package dev.vquant.bench.ratios;

import dev.vquant.bench.workload.CaseSpec;
import dev.vquant.bench.workload.Workload;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures float vs int8 per case. Isolated mode (the default) runs each case in a fresh JVM, so
 * no other kernel has shaped the JIT's profiles; mixed mode runs every case once in one JVM first
 * and then measures each, to expose profile pollution.
 */
public final class RatioRunner {
    /**
     * Vector API code runs 100-1000x slower until C2 compiles it, and by default C2 waits for
     * hundreds of calls of a method that may take 10 ms each in its profiled C1 form. Scaling the
     * thresholds down gets every case to its compiled steady state (what a long-running server
     * reaches anyway) within the warm-up instead of after minutes.
     */
    static final List<String> CHILD_JIT_FLAGS = List.of("-XX:CompileThresholdScaling=0.1");

    private final boolean quick;

    /**
     * A runner measuring with a {@link Sampler} of the given mode.
     *
     * @param quick short warm-up and fewer rounds
     */
    public RatioRunner(boolean quick) {
        this.quick = quick;
    }

    /**
     * Each case in its own child JVM (same JVM flags as this one).
     *
     * @param cases the cases, each run in a child JVM in turn
     * @param engine the kernel backend the cases run on
     * @param progress where a line per case is printed as it is measured
     * @return one measurement per case, in order
     * @throws java.io.IOException when a child JVM cannot be started or read
     * @throws InterruptedException when interrupted while waiting for a child
     */
    public List<Measurement> isolated(List<CaseSpec> cases, KernelBackend engine, PrintStream progress)
            throws IOException, InterruptedException {
        List<Measurement> out = new ArrayList<>();
        for (CaseSpec c : cases) {
            Measurement m = runChild(c.id(), engine.name());
            progress.println(Report.progressLine(m));
            out.add(m);
        }
        return out;
    }

    /**
     * All cases in this JVM: every workload runs both sides first, then each is measured.
     *
     * @param cases the cases
     * @param engine the kernel backend the cases run on
     * @param progress where a line per case is printed as it is measured
     * @return one measurement per case, in order
     */
    public List<Measurement> mixed(List<CaseSpec> cases, KernelBackend engine, PrintStream progress) {
        List<Workload> workloads = new ArrayList<>();
        long sink = 0;
        for (CaseSpec c : cases) {
            Workload w = c.build(engine);
            for (int i = 0; i < 3; i++) {
                if (w.hasFloat()) {
                    w.runFloat();
                }
                w.runInt8();
            }
            sink += w.checksum();
            workloads.add(w);
        }
        List<Measurement> out = new ArrayList<>();
        for (Workload w : workloads) {
            Measurement m = measure(w, engine);
            sink += w.checksum();
            progress.println(Report.progressLine(m));
            out.add(m);
        }
        if (sink == 42) {
            progress.println();
        }
        return out;
    }

    Measurement measure(Workload w, KernelBackend engine) {
        double[] ms = new Sampler(quick).measure(w);
        return new Measurement(w.id(), engine.name(), engine.width().name(), w.threads(), ms[0], ms[1], w.elements());
    }

    private Measurement runChild(String caseId, String engine) throws IOException, InterruptedException {
        Measurement[] result = new Measurement[1];
        int status = ChildJvm.run(RatioRunner.class, List.of(caseId, engine, Boolean.toString(quick)), line -> {
            if (line.startsWith("RESULT\t")) {
                result[0] = Measurement.parseWire(line);
            }
        });
        if (status != 0 || result[0] == null) {
            throw new IllegalStateException("measuring " + caseId + " on " + engine + " failed (child JVM exit " + status + ")");
        }
        return result[0];
    }

    /**
     * Child JVM entry: {@code caseId engine quick}; prints one RESULT line.
     *
     * @param args {@code caseId engine quick}
     */
    public static void main(String[] args) {
        CaseSpec c = RatioCatalog.byId(args[0]);
        KernelBackend engine = QuantEngine.backend(args[1]);
        Workload w = c.build(engine);
        Measurement m = new RatioRunner(Boolean.parseBoolean(args[2])).measure(w, engine);
        if (w.checksum() == Long.MIN_VALUE) {
            System.out.print("");
        }
        System.out.println(m.wire());
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
