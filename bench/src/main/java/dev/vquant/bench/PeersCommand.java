package dev.vquant.bench;

import dev.vquant.bench.peers.PeerUnavailableException;
import dev.vquant.bench.peers.PeersCli;

import java.io.PrintStream;
import java.util.List;

/** {@code vquant peers}: vquant against ONNX Runtime, Lucene (and PyTorch), same JVM, interleaved, medians. */
final class PeersCommand implements Command {

    @Override
    public String name() {
        return "peers";
    }

    @Override
    public String summary() {
        return "[--case REGEX] [--csv] [--with-pytorch] [--quick] [--threads N]...  vquant vs ONNX Runtime, Lucene (PyTorch)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        try {
            return PeersCli.run(args, out);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (PeerUnavailableException e) {
            System.err.println("vquant peers: " + e.getMessage());
            return 1;
        }
    }
}
