package dev.vquant.bench.peers;

import dev.vquant.bench.ratios.ChildJvm;
import dev.vquant.bench.ratios.Sampler;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures vquant against each peer per case and thread count. Each (case, threads) runs in a
 * fresh child JVM, as the ratio runner's isolated mode does: with every case in one JVM the
 * shared JIT profiles made vquant's depthwise convolution 2.8x slower than alone. In the child,
 * one comparison at a time is built, its outputs checked after one run of each side, both sides
 * timed interleaved with the ratio runner's {@link Sampler}, and released.
 */
public final class PeerRunner {
    private final List<Peer> peers;
    private final KernelBackend engine;
    private final boolean quick;

    /**
     * A runner of {@code peers}' comparisons against vquant on {@code engine}.
     *
     * @param peers the peer libraries
     * @param engine the kernel backend vquant's side runs on
     * @param quick short warm-up and fewer rounds
     */
    public PeerRunner(List<Peer> peers, KernelBackend engine, boolean quick) {
        this.peers = List.copyOf(peers);
        this.engine = engine;
        this.quick = quick;
    }

    /**
     * One timed row per thread count, case and peer operation, in that order, each (case,
     * threads) in its own child JVM; progress lines go to standard error as they come.
     *
     * @param cases the cases
     * @param threadCounts the intra-op thread counts
     * @param quick short warm-up and fewer rounds
     * @param withPytorch whether the PyTorch peer joins (needs a {@code -Pwith-pytorch} build)
     * @return the rows
     * @throws IllegalStateException when a child JVM exits with a failure
     * @throws Exception when a child JVM cannot be started or waited for
     */
    public static List<PeerRow> isolated(List<PeerShape> cases, List<Integer> threadCounts, boolean quick,
                                         boolean withPytorch) throws Exception {
        List<PeerRow> rows = new ArrayList<>();
        for (int threads : threadCounts) {
            for (PeerShape shape : cases) {
                int before = rows.size();
                int status = ChildJvm.run(PeerRunner.class, List.of(shape.id(), Integer.toString(threads),
                        Boolean.toString(quick), Boolean.toString(withPytorch)), line -> {
                            PeerRow r = PeerRow.parseWire(line);
                            if (r != null) {
                                rows.add(r);
                            }
                        });
                if (status != 0) {
                    throw new IllegalStateException("measuring " + shape.id() + " at " + threads
                            + " threads failed (child JVM exit " + status + ", after " + (rows.size() - before) + " rows)");
                }
            }
        }
        return rows;
    }

    /**
     * Child JVM entry: {@code caseId threads quick withPytorch}; prints one PEER line per row.
     *
     * @param args {@code caseId threads quick withPytorch}
     * @throws Exception when a peer cannot run or a comparison fails to build
     */
    public static void main(String[] args) throws Exception {
        PeerShape shape = PeerCases.matching("^" + java.util.regex.Pattern.quote(args[0]) + "$").get(0);
        int threads = Integer.parseInt(args[1]);
        PeerRunner runner = new PeerRunner(PeersCli.peers(Boolean.parseBoolean(args[3])), QuantEngine.current(),
                Boolean.parseBoolean(args[2]));
        for (PeerRow r : runner.run(List.of(shape), List.of(threads), System.err)) {
            System.out.println(r.wire());
        }
    }

    /**
     * One timed row per thread count, case and peer operation, all in this JVM.
     *
     * @param cases the cases
     * @param threadCounts the intra-op thread counts
     * @param progress where a line per row is printed as it is measured
     * @return the rows
     * @throws Exception when a comparison fails to build
     */
    public List<PeerRow> run(List<PeerShape> cases, List<Integer> threadCounts, PrintStream progress) throws Exception {
        Sampler sampler = new Sampler(quick);
        return each(cases, threadCounts, (shape, threads, c) -> {
            Agreement a = c.check();
            double[] ms = sampler.measure(c.vquant(), c.peer());
            PeerRow row = new PeerRow(shape.id(), c.peerOp(), c.vquantOp(), threads, ms[0], ms[1], a);
            progress.println(PeerReport.progressLine(row));
            return row;
        });
    }

    /**
     * The same rows with the outputs checked and no timing (times NaN).
     *
     * @param cases the cases
     * @param threadCounts the intra-op thread counts
     * @return the rows, each with its agreement
     * @throws Exception when a comparison fails to build
     */
    public List<PeerRow> check(List<PeerShape> cases, List<Integer> threadCounts) throws Exception {
        return each(cases, threadCounts, (shape, threads, c) ->
                new PeerRow(shape.id(), c.peerOp(), c.vquantOp(), threads, Double.NaN, Double.NaN, c.check()));
    }

    private interface Step {
        PeerRow apply(PeerShape shape, int threads, Comparison c) throws Exception;
    }

    private List<PeerRow> each(List<PeerShape> cases, List<Integer> threadCounts, Step step) throws Exception {
        List<PeerRow> rows = new ArrayList<>();
        for (int threads : threadCounts) {
            for (PeerShape shape : cases) {
                for (Peer peer : peers) {
                    for (Comparison.Factory f : peer.comparisons(shape, threads, engine)) {
                        try (Comparison c = f.build()) {
                            rows.add(step.apply(shape, threads, c));
                        }
                    }
                }
            }
        }
        return rows;
    }
}
