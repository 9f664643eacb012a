package dev.vquant.bench.peers;

import java.util.function.Supplier;

/**
 * One case against one peer operation: the vquant run and the peer's run doing the same job on
 * the same inputs (timed interleaved by the runner), a check of their outputs after one run of
 * each, and what to release afterwards (native sessions, tensors).
 *
 * @param peerOp    the peer and its operation, e.g. {@code ort:QLinearMatMul}
 * @param vquantOp  what vquant runs, e.g. {@code QLinear}
 * @param vquant    one vquant call (its output kept for {@code agreement})
 * @param peer      one peer call (its output kept for {@code agreement})
 * @param agreement compares the outputs of the last calls of both
 * @param resources released by {@link #close()}; may be null
 */
public record Comparison(String peerOp, String vquantOp, Runnable vquant, Runnable peer, Supplier<Agreement> agreement,
                         AutoCloseable resources) implements AutoCloseable {

    /** Builds a comparison on demand, so that only one case's data (up to 64 MiB of weights) is alive at a time. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Builds the comparison, allocating its inputs, weights and any native session.
         *
         * @return the comparison, to be closed by the caller
         * @throws Exception when the peer fails to build its operation
         */
        Comparison build() throws Exception;
    }

    /**
     * Runs both sides once and compares their outputs.
     *
     * @return the agreement of the two outputs
     */
    public Agreement check() {
        vquant.run();
        peer.run();
        return agreement.get();
    }

    @Override
    public void close() throws Exception {
        if (resources != null) {
            resources.close();
        }
    }
}
