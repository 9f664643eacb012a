package dev.vquant.bench.peers;

/**
 * One measured comparison: medians of interleaved runs in one JVM.
 *
 * @param caseId    the shape's id
 * @param peerOp    the peer operation, e.g. {@code ort:MatMulInteger}
 * @param vquantOp  what vquant ran
 * @param threads   threads both sides used
 * @param vquantMs  vquant's median milliseconds per call
 * @param peerMs    the peer's median milliseconds per call
 * @param agreement how the outputs compare
 */
public record PeerRow(String caseId, String peerOp, String vquantOp, int threads, double vquantMs, double peerMs,
                      Agreement agreement) {

    /** vquant time / peer time: below 1 vquant is faster. */
    public double ratio() {
        return vquantMs / peerMs;
    }
}
