package dev.vquant.bench.peers;

import dev.vquant.bench.ratios.Sampler;
import dev.vquant.engine.spi.KernelBackend;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures vquant against each peer per case and thread count, all in this JVM: builds one
 * comparison at a time, checks the outputs after one run of each side, times both sides
 * interleaved with the ratio runner's {@link Sampler}, then releases it.
 */
public final class PeerRunner {
    private final List<Peer> peers;
    private final KernelBackend engine;
    private final boolean quick;

    public PeerRunner(List<Peer> peers, KernelBackend engine, boolean quick) {
        this.peers = List.copyOf(peers);
        this.engine = engine;
        this.quick = quick;
    }

    /** One timed row per thread count, case and peer operation, in that order; progress lines as they come. */
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

    /** The same rows with the outputs checked and no timing (times NaN). */
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
