package dev.vquant.bench.peers;

import dev.vquant.bench.OptionValues;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Argument handling of {@code vquant peers}. */
public final class PeersCli {
    private PeersCli() {
    }

    /**
     * Options: {@code --case REGEX} (only matching case ids), {@code --csv} (CSV instead of the
     * table), {@code --with-pytorch} (add PyTorch's own kernels; needs a build with
     * {@code -Pwith-pytorch}), {@code --quick} (short warm-up and fewer rounds), {@code --threads N}
     * (repeatable; default 1 and 2).
     *
     * @throws IllegalArgumentException for bad arguments
     * @throws PeerUnavailableException when a peer cannot run here
     * @param args the options
     * @param out where the table or CSV is printed
     * @return the exit status, 0
     * @throws Exception when a peer fails to build a comparison
     */
    public static int run(List<String> args, PrintStream out) throws Exception {
        boolean csv = false;
        boolean quick = false;
        boolean withPytorch = false;
        String filter = null;
        List<Integer> threads = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--csv" -> csv = true;
                case "--quick" -> quick = true;
                case "--with-pytorch" -> withPytorch = true;
                case "--case" -> filter = OptionValues.valueAt(args, ++i, a);
                case "--threads" -> threads.add(threadCount(OptionValues.valueAt(args, ++i, a)));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (threads.isEmpty()) {
            threads.addAll(List.of(1, 2));
        }
        List<PeerShape> cases = PeerCases.matching(filter);
        KernelBackend engine = QuantEngine.current();
        // loaded here too, so that a peer that cannot run here fails once, before any child JVM
        List<Peer> peers = peers(withPytorch);
        System.err.println("peers: " + cases.size() + " cases, threads " + threads + ", one JVM per case, vquant on "
                + engine.name() + " (" + engine.isaDescription() + ") against "
                + String.join(", ", peers.stream().map(Peer::description).toList()));
        List<PeerRow> rows = PeerRunner.isolated(cases, threads, quick, withPytorch);
        if (csv) {
            PeerReport.csv(rows, out);
        } else {
            PeerReport.table(rows, out);
        }
        return 0;
    }

    /**
     * ONNX Runtime and Lucene, plus the PyTorch peer when asked for.
     *
     * @param withPytorch whether to add the PyTorch peer
     * @return the peers, optional ones first
     * @throws PeerUnavailableException when PyTorch was asked for and cannot run here, or ONNX Runtime cannot
     *   load
     */
    public static List<Peer> peers(boolean withPytorch) throws PeerUnavailableException {
        // Optional peers are created before ONNX Runtime loads its library, asked for or not:
        // libtorch's initialization crashed the JVM (SIGSEGV in pthread_mutex_lock, from
        // Dispatcher.<clinit>) when ONNX Runtime's library was already loaded.
        List<Peer> optional = new ArrayList<>();
        String broken = "";
        Iterator<Peer> it = ServiceLoader.load(Peer.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                optional.add(it.next());
            } catch (ServiceConfigurationError e) {
                // e.g. a provider file left in target/classes by an earlier -Pwith-pytorch build
                broken = " (" + e.getMessage() + ")";
            }
        }
        String brokenReason = broken;
        List<Peer> peers = new ArrayList<>();
        peers.add(OrtPeer.load());
        peers.add(new LucenePeer());
        if (withPytorch) {
            peers.add(optional.stream().filter(p -> p.name().equals("torch")).findFirst().orElseThrow(() ->
                    new PeerUnavailableException("--with-pytorch needs the PyTorch peer, which this build does not include:"
                            + " build with the Maven profile, e.g. mvn -Pwith-pytorch -DskipTests package"
                            + " (a ~200 MB download)" + brokenReason, null)));
        }
        return peers;
    }

    private static int threadCount(String v) {
        try {
            int t = Integer.parseInt(v);
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--threads needs a positive integer, got '" + v + "'");
    }
}
