package dev.vquant.bench.peers;

import dev.vquant.bench.PrintingCommand;
import dev.vquant.bench.ThreadCountConverter;
import dev.vquant.engine.QuantEngine;
import dev.vquant.engine.spi.KernelBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * {@code vquant peers [--case REGEX] [--csv] [--with-pytorch] [--quick] [--threads N]...}: vquant against
 * ONNX Runtime, Lucene (and PyTorch), same JVM, interleaved, medians. The child JVMs it starts take
 * {@link PeerRunner#main}'s positional arguments, which are internal.
 */
@Command(name = "peers", description = "vquant vs ONNX Runtime, Lucene (and PyTorch): same JVM, interleaved, medians.")
public final class PeersCli extends PrintingCommand {
    @Option(names = "--case", paramLabel = "REGEX", description = "Only the cases whose id matches (anywhere in the id).")
    String filter;

    @Option(names = "--csv", description = "CSV instead of the table.")
    boolean csv;

    @Option(names = "--with-pytorch", description = "Add PyTorch's own kernels (needs a build with -Pwith-pytorch).")
    boolean withPytorch;

    @Option(names = "--quick", description = "Short warm-up and fewer rounds.")
    boolean quick;

    @Option(names = "--threads", paramLabel = "N", converter = ThreadCountConverter.class,
            description = "An intra-op thread count (repeatable); default: 1 and 2.")
    List<Integer> threads = new ArrayList<>();

    /**
     * The command, printing its table or CSV on {@code out} and its progress on {@code err}.
     *
     * @param out where the table or CSV is printed
     * @param err where progress, and why a peer cannot run here, are printed
     */
    public PeersCli(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /** {@return the thread counts to measure: those given, or 1 and 2} */
    List<Integer> threads() {
        return threads.isEmpty() ? List.of(1, 2) : List.copyOf(threads);
    }

    /**
     * Compares each matching case with each peer, one child JVM per case and thread count, and prints the
     * table or CSV.
     *
     * @return the exit status: 0, or 1 when a peer cannot run here (said in one line)
     * @throws Exception when a peer fails to build a comparison
     */
    @Override
    public Integer call() throws Exception {
        List<PeerShape> cases = PeerCases.matching(filter);
        KernelBackend engine = QuantEngine.current();
        List<Peer> peers;
        try {
            // loaded here too, so that a peer that cannot run here fails once, before any child JVM
            peers = peers(withPytorch);
        } catch (PeerUnavailableException e) {
            err.println("vquant peers: " + e.getMessage());
            return 1;
        }
        err.println("peers: " + cases.size() + " cases, threads " + threads() + ", one JVM per case, vquant on "
                + engine.name() + " (" + engine.isaDescription() + ") against "
                + String.join(", ", peers.stream().map(Peer::description).toList()));
        List<PeerRow> rows = PeerRunner.isolated(cases, threads(), quick, withPytorch);
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
}
