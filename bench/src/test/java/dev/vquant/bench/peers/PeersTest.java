package dev.vquant.bench.peers;

import dev.vquant.engine.QuantEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each peer on tiny shapes: outputs agree with vquant's (no timing), and the failure modes are clear. */
class PeersTest {
    /** Tiny shapes that still take every path: batch 1 (Lucene rows) and 3, K not a multiple of a tile, depthwise stride 2. */
    private static final List<PeerShape> TINY = List.of(new PeerShape.Linear(1, 40, 24), new PeerShape.Linear(3, 40, 70),
            new PeerShape.Conv(8, 16, 6, 3, 1, 1), new PeerShape.Conv(12, 12, 7, 3, 2, 12), new PeerShape.Dot(100));

    @Test
    void everyPeerAgreesWithVquantOnTinyCases() throws Exception {
        List<PeerRow> rows = new PeerRunner(PeersCli.peers(false), QuantEngine.current(), true).check(TINY, List.of(1, 2));
        assertAgree(rows);
        Set<String> ops = new TreeSet<>();
        rows.forEach(r -> ops.add(r.peerOp().replaceAll(" x\\d+$", "")));
        assertEquals(new TreeSet<>(List.of("lucene:dotProduct", "ort:Conv", "ort:DynamicQuantizeMatMul", "ort:Gemm",
                "ort:MatMulInteger", "ort:QLinearConv(NHWC)", "ort:QLinearMatMul")), ops);
        // Lucene: the batch-1 Linear and the dot, single thread only; ORT: 4 Linear ops x 2 shapes + 2 Conv ops x 2 shapes
        assertEquals(2 + 2 * (4 * 2 + 2 * 2), rows.size(), rows.toString());
    }

    /** Runs only in a build with -Pwith-pytorch (withPytorchWithoutTheProfileSaysHowToBuildIt covers the other). */
    @Test
    void torchPeerAgreesWithVquantWhenBuilt() throws Exception {
        if (!torchBuilt()) {
            return;
        }
        Peer torch = PeersCli.peers(true).stream().filter(p -> p.name().equals("torch")).findFirst().orElseThrow();
        List<PeerRow> rows = new PeerRunner(List.of(torch), QuantEngine.current(), true).check(TINY, List.of(1));
        // float linear + 3 engines x (linear, linear_dynamic) per Linear shape; float conv + 3 engines per Conv shape
        assertEquals(2 * 7 + 2 * 4, rows.size(), rows.toString());
        assertAgree(rows);
    }

    /**
     * vquant's numerics are the peers': exact int32 accumulators are the same integers, quint8
     * outputs differ by at most one where the peer's requantization rounds differently (ORT), and
     * are equal to PyTorch's except in FBGEMM's depthwise kernel, which saturates its 16-bit pair
     * sums (vpmaddubsw) where vquant stays exact (golden/NUMERICS.md); floats differ by summation
     * order only.
     */
    private static void assertAgree(List<PeerRow> rows) {
        for (PeerRow r : rows) {
            Agreement a = r.agreement();
            String what = r.caseId() + " " + r.peerOp() + " threads " + r.threads() + ": " + a.text();
            boolean fbgemmDepthwise = r.caseId().startsWith("dw") && r.peerOp().matches("torch:(fbgemm|x86) conv2d");
            switch (r.vquantOp()) {
                case "gemmInt32" -> assertTrue(a.integer() && a.exact(), what);
                case "QLinear", "QConv2d" -> assertTrue(a.integer() && (fbgemmDepthwise
                        || a.maxAbsDiff() <= (r.peerOp().startsWith("torch:") ? 0 : 1)), what);
                default -> assertTrue(!a.integer() && a.relative() < 1e-4, what);
            }
        }
    }

    private static boolean torchBuilt() {
        try {
            Class.forName("dev.vquant.bench.peers.TorchPeer", false, PeersTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void agreementCountsDifferingIntegers() {
        Agreement a = Agreement.uint8(new byte[] {(byte) 255, 3, 7}, new byte[] {(byte) 254, 3, 9});
        assertEquals(2, a.mismatches());
        assertEquals(2, a.maxAbsDiff());
        assertEquals("2/3 differ by <=2", a.text());
        assertTrue(Agreement.ints(new int[] {Integer.MIN_VALUE}, new int[] {Integer.MIN_VALUE}).exact());
        assertFalse(Agreement.ints(new int[] {Integer.MIN_VALUE}, new int[] {Integer.MAX_VALUE}).exact());
        assertTrue(Double.isNaN(Agreement.floats(new float[] {1f, Float.NaN}, new float[] {1f, 2f}).maxAbsDiff()));
        assertThrows(IllegalStateException.class, () -> Agreement.ints(new int[2], new int[3]));
    }

    @Test
    void casesCoverTheRatioShapesAndTheDots() {
        List<String> ids = PeerCases.all().stream().map(PeerShape::id).toList();
        assertEquals(18, ids.size(), ids.toString());
        assertTrue(ids.containsAll(List.of("linear_M1_K768_N768", "linear_M128_K4096_N4096", "conv3x3_Ci64_Co64_H56",
                "conv1x1_Ci256_Co64_H56", "dw3x3_C144_H56_s1", "dw3x3_C144_H56_s2", "dot_K768", "dot_K4096")), ids.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerCases.matching("^nope"));
        assertTrue(e.getMessage().contains("no case id matches '^nope'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PeerShape.Conv(6, 6, 5, 3, 1, 4));
    }

    @Test
    void withPytorchWithoutTheProfileSaysHowToBuildIt() {
        if (torchBuilt()) {
            return;     // a -Pwith-pytorch build: the peer is there (its own test checks it)
        }
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, () -> PeersCli.peers(true));
        assertTrue(e.getMessage().contains("-Pwith-pytorch"), e.getMessage());
    }

    /**
     * Without ONNX Runtime's natives (pointed at an empty folder) {@code vquant peers} exits with
     * status 1 and one line saying so, not a stack trace or a JVM crash. Runs the CLI in a child JVM:
     * ONNX Runtime loads its library once per JVM.
     */
    @Test
    void peersWithoutOrtNativesFailsWithAClearMessage(@TempDir Path empty) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-modules") || a.startsWith("-Xss")).toList());
        cmd.addAll(List.of("-Donnxruntime.native.path=" + empty, "-cp", System.getProperty("java.class.path"),
                "dev.vquant.bench.Cli", "peers", "--case", "dot_K768", "--threads", "1"));
        Path log = Files.createTempFile(empty.getParent(), "peers", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String s = Files.readString(log);
        Files.delete(log);
        assertEquals(1, p.exitValue(), s);
        assertTrue(s.contains("vquant peers: ONNX Runtime's native library could not be loaded"), s);
        assertTrue(s.contains("not found at " + empty), s);
        assertFalse(s.contains("\tat "), "no stack trace expected:\n" + s);
    }
}
