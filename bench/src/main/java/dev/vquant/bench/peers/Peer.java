package dev.vquant.bench.peers;

import dev.vquant.engine.spi.KernelBackend;

import java.util.List;

/**
 * Another library that does what vquant does, run in the same JVM by {@code vquant peers}. The
 * optional ones (PyTorch through JavaCPP) are found with {@link java.util.ServiceLoader} when the
 * build included them.
 */
public interface Peer {

    /** {@return the short name, the prefix of its rows' {@code peer} column: "ort", "lucene", "torch"} */
    String name();

    /** {@return the library and version, for the run's header line} */
    String description();

    /**
     * The comparisons of this peer for {@code shape} at {@code threads} threads against vquant on
     * {@code engine}; empty when the peer has no such operation.
     *
     * @param shape the case
     * @param threads the intra-op thread count both sides run with
     * @param engine the kernel backend vquant's side runs on
     * @return factories of the comparisons, built one at a time by the runner
     */
    List<Comparison.Factory> comparisons(PeerShape shape, int threads, KernelBackend engine);
}
