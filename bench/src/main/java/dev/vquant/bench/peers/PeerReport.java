package dev.vquant.bench.peers;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The table and CSV of {@code vquant peers}. */
final class PeerReport {
    static final String CSV_HEADER = "case,peer,vquant_op,threads,vquant_ms,peer_ms,vquant_over_peer,outputs,max_abs_diff";

    private PeerReport() {
    }

    static String progressLine(PeerRow r) {
        return String.format(Locale.ROOT, "  measured %s %s (%d thread%s): vquant %.4f ms, peer %.4f ms, %.2fx, %s",
                r.caseId(), r.peerOp(), r.threads(), r.threads() == 1 ? "" : "s", r.vquantMs(), r.peerMs(), r.ratio(),
                r.agreement().text());
    }

    static void table(List<PeerRow> rows, PrintStream out) {
        String f = "%-24s %-30s %-15s %7s %10s %10s %11s  %s%n";
        out.printf(Locale.ROOT, f, "case", "peer", "vquant", "threads", "vquant_ms", "peer_ms", "vquant/peer", "outputs");
        for (PeerRow r : rows) {
            out.printf(Locale.ROOT, f, r.caseId(), r.peerOp(), r.vquantOp(), r.threads(), ms(r.vquantMs()), ms(r.peerMs()),
                    String.format(Locale.ROOT, "%.2fx", r.ratio()), r.agreement().text());
        }
    }

    static void csv(List<PeerRow> rows, PrintStream out) {
        out.println(CSV_HEADER);
        for (PeerRow r : rows) {
            out.println(String.join(",", r.caseId(), r.peerOp(), r.vquantOp(), Integer.toString(r.threads()),
                    ms(r.vquantMs()), ms(r.peerMs()), String.format(Locale.ROOT, "%.3f", r.ratio()),
                    r.agreement().text(), String.format(Locale.ROOT, "%.3g", r.agreement().maxAbsDiff())));
        }
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
