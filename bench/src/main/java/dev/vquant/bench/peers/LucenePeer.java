package dev.vquant.bench.peers;

import dev.vquant.engine.spi.KernelBackend;
import org.apache.lucene.util.Version;
import org.apache.lucene.util.VectorUtil;

import java.util.List;

/**
 * Apache Lucene's exact int8 dot product ({@link VectorUtil#dotProduct(byte[], byte[])}, signed x
 * signed, on the Vector API like vquant), for the dot cases and, row by row, for batch-1 Linear.
 * vquant's activations are quint8 with a zero point and Lucene's bytes are signed, so the query
 * is flipped to {@code x - 128} per call and each row gets an offset term computed once:
 * <pre>sum_k (x[k] - zx) w[k] = dot(x - 128, w) + (128 - zx) * sum_k w[k]</pre>
 * which gives the same integers as vquant's {@code gemmInt32} (checked per run). Single thread only.
 */
final class LucenePeer implements Peer {

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public String description() {
        return "Apache Lucene " + Version.LATEST + " VectorUtil";
    }

    @Override
    public List<Comparison.Factory> comparisons(PeerShape shape, int threads, KernelBackend engine) {
        if (threads != 1) {
            return List.of();
        }
        if (shape instanceof PeerShape.Dot d) {
            return List.of(() -> rows(new PeerShape.Linear(1, d.k(), 1), engine));
        }
        if (shape instanceof PeerShape.Linear s && s.m() == 1) {
            return List.of(() -> rows(s, engine));
        }
        return List.of();
    }

    /** {@code n} dot products of one quint8 query with the rows of {@code W[n][k]}. */
    private static Comparison rows(PeerShape.Linear s, KernelBackend e) {
        PeerData d = new PeerData(7);
        int k = s.k();
        int n = s.n();
        byte[] w = d.int8(n * k);
        byte[] x = d.uint8(k);
        byte[][] rows = new byte[n][k];
        int[] offset = new int[n];
        for (int j = 0; j < n; j++) {
            System.arraycopy(w, j * k, rows[j], 0, k);
            int sum = 0;
            for (byte v : rows[j]) {
                sum += v;
            }
            offset[j] = (128 - PeerData.X_ZERO_POINT) * sum;
        }
        byte[] query = new byte[k];
        int[] out = new int[n];
        Runnable lucene = () -> {
            for (int i = 0; i < k; i++) {
                query[i] = (byte) (x[i] ^ 0x80);       // u8 -> s8: x - 128
            }
            for (int j = 0; j < n; j++) {
                out[j] = VectorUtil.dotProduct(query, rows[j]) + offset[j];
            }
        };
        VquantSide.Run<int[]> v = VquantSide.gemmInt32(e, 1, s, w, x, PeerData.X_ZERO_POINT);
        return new Comparison("lucene:dotProduct" + (n == 1 ? "" : " x" + n), "gemmInt32", v.call(), lucene,
                () -> Agreement.ints(v.output().get(), out), null);
    }
}
