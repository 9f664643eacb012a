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

    /** {@return vquant time / peer time: below 1 vquant is faster} */
    public double ratio() {
        return vquantMs / peerMs;
    }

    /** The line a child JVM prints for its parent (fields hold no tabs). */
    String wire() {
        Agreement a = agreement;
        return String.join("\t", "PEER", caseId, peerOp, vquantOp, Integer.toString(threads), Double.toString(vquantMs),
                Double.toString(peerMs), Boolean.toString(a.integer()), Integer.toString(a.count()),
                Integer.toString(a.mismatches()), Double.toString(a.maxAbsDiff()), Double.toString(a.maxAbs()));
    }

    /** A {@link #wire()} line back; null for other lines. */
    static PeerRow parseWire(String line) {
        String[] f = line.split("\t");
        if (f.length != 12 || !f[0].equals("PEER")) {
            return null;
        }
        return new PeerRow(f[1], f[2], f[3], Integer.parseInt(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                new Agreement(Boolean.parseBoolean(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9]),
                        Double.parseDouble(f[10]), Double.parseDouble(f[11])));
    }
}
