package dev.vquant.engine.testing;

import dev.vquant.engine.DType;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Edge-case sets in the manner of XNNPACK's generated per-kernel tests: given a kernel's tile
 * (MR x NR, KR) or vector width, the shapes where tiled loops break: K equal to, below, above
 * and a multiple of the K block; sub-tiles in M and N; N above and a multiple of NR; strided A
 * and C; column sub-ranges that start off a tile boundary; zero points at their extremes; 7-bit
 * and full-range extremes; long K. Seeds are fixed per case so failures replay.
 * <pre>
 * &#64;TestFactory
 * Stream&lt;DynamicTest&gt; edgeCases() {
 *     return KernelCases.dynamicTests(KernelCases.qgemm(4, 16, 4), t -&gt; t.test(kernels));
 * }
 * </pre>
 */
public final class KernelCases {
    private KernelCases() {
    }

    /** A named, fully configured tester. */
    public record TesterCase<T>(String name, T tester) {
    }

    /** One JUnit dynamic test per case, named after it. */
    public static <T> Stream<DynamicTest> dynamicTests(List<TesterCase<T>> cases, Consumer<T> run) {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run.accept(c.tester())));
    }

    /** The int8 GEMM edge set for a tile of {@code mr x nr} with K blocks of {@code kr}. */
    public static List<TesterCase<QGemmKernelTester>> qgemm(int mr, int nr, int kr) {
        checkTile(mr, nr, kr);
        List<TesterCase<QGemmKernelTester>> cases = new ArrayList<>();
        long seed = 1000;
        for (int k : distinctPositive(kr, kr - 1, 1, kr + 1, 2 * kr, 2 * kr + 1, 8 * kr + 3, 257, 513)) {
            cases.add(new TesterCase<>("k=" + k + " full tile " + mr + "x" + nr,
                    new QGemmKernelTester().m(mr).n(nr).k(k).seed(seed++)));
        }
        int k = 2 * kr + 1;
        for (int m = 1; m <= mr; m++) {
            for (int n : distinctPositive(1, nr / 2, nr - 1, nr)) {
                cases.add(new TesterCase<>("subtile m=" + m + " n=" + n + " k=" + k,
                        new QGemmKernelTester().m(m).n(n).k(k).seed(seed++)));
            }
        }
        for (int n : distinctPositive(nr + 1, 2 * nr - 1, 2 * nr, 2 * nr + 1, 3 * nr)) {
            cases.add(new TesterCase<>("n=" + n + " past NR", new QGemmKernelTester().m(mr).n(n).k(k).seed(seed++)));
        }
        for (int m : distinctPositive(mr + 1, 2 * mr, 2 * mr + 1, 3 * mr + 2)) {
            cases.add(new TesterCase<>("m=" + m + " past MR", new QGemmKernelTester().m(m).n(nr + 3).k(k).seed(seed++)));
        }
        int n3 = 3 * nr + 1;
        cases.add(new TesterCase<>("strided A (lda=k+7, offset 3)",
                new QGemmKernelTester().m(mr + 1).n(n3).k(k).lda(k + 7).aOffset(3).seed(seed++)));
        cases.add(new TesterCase<>("strided C (ldc=n+5, offset 2)",
                new QGemmKernelTester().m(mr + 1).n(n3).k(k).ldc(n3 + 5).cOffset(2).seed(seed++)));
        cases.add(new TesterCase<>("columns [1, n-1)", new QGemmKernelTester().m(mr).n(n3).k(k).nRange(1, n3 - 1).seed(seed++)));
        cases.add(new TesterCase<>("columns [nr+1, 2nr+3) off a tile boundary",
                new QGemmKernelTester().m(mr).n(n3).k(k).nRange(nr + 1, Math.min(n3, 2 * nr + 3)).ldc(n3 + 2).seed(seed++)));
        cases.add(new TesterCase<>("empty column range", new QGemmKernelTester().m(mr).n(nr).k(k).nRange(2 % nr, 2 % nr).seed(seed++)));
        for (int za : new int[] {0, 255}) {
            for (int zw : new int[] {-128, 0, 127}) {
                cases.add(new TesterCase<>("zero points a=" + za + " w=" + zw + ", extremes",
                        new QGemmKernelTester().m(mr).n(nr + 1).k(8 * kr + 1).aZeroPoint(za).weightZeroPoints(zw)
                                .extremes(Extremes.ONLY).seed(seed++)));
            }
        }
        cases.add(new TesterCase<>("per-channel zero points and scales",
                new QGemmKernelTester().m(mr + 2).n(2 * nr + 3).k(k + 8).perChannel(true).seed(seed++)));
        cases.add(new TesterCase<>("7-bit activations, extremes, k=1031",
                new QGemmKernelTester().m(mr).n(nr + 1).k(1031).activationMax(127).extremes(Extremes.ONLY).seed(seed++)));
        cases.add(new TesterCase<>("7-bit activations, mixed, per channel",
                new QGemmKernelTester().m(mr + 1).n(2 * nr + 1).k(k + 40).activationMax(127).extremes(Extremes.MIXED)
                        .perChannel(true).seed(seed++)));
        cases.add(new TesterCase<>("full-range extremes, k=4097",
                new QGemmKernelTester().m(mr).n(nr + 1).k(4097).extremes(Extremes.ONLY).seed(seed++)));
        cases.add(new TesterCase<>("batch 1 (GEMV), k=1000, n=3nr+1",
                new QGemmKernelTester().m(1).n(n3).k(1000).extremes(Extremes.MIXED).seed(seed++)));
        return cases;
    }

    /** The float GEMM edge set for a tile of {@code mr x nr} (K unrolled by {@code kr}). */
    public static List<TesterCase<FloatGemmKernelTester>> floatGemm(int mr, int nr, int kr) {
        checkTile(mr, nr, kr);
        List<TesterCase<FloatGemmKernelTester>> cases = new ArrayList<>();
        long seed = 2000;
        for (int k : distinctPositive(1, kr - 1, kr, kr + 1, 4 * kr + 3, 257)) {
            cases.add(new TesterCase<>("k=" + k + " full tile", new FloatGemmKernelTester().m(mr).n(nr).k(k).seed(seed++)));
        }
        int k = 2 * kr + 1;
        for (int m = 1; m <= mr; m++) {
            for (int n : distinctPositive(1, nr - 1, nr)) {
                cases.add(new TesterCase<>("subtile m=" + m + " n=" + n, new FloatGemmKernelTester().m(m).n(n).k(k).seed(seed++)));
            }
        }
        for (int n : distinctPositive(nr + 1, 2 * nr, 3 * nr + 1)) {
            cases.add(new TesterCase<>("n=" + n + " past NR", new FloatGemmKernelTester().m(mr + 1).n(n).k(k).seed(seed++)));
        }
        int n3 = 3 * nr + 1;
        cases.add(new TesterCase<>("strided A and C, offsets",
                new FloatGemmKernelTester().m(2 * mr + 1).n(n3).k(k).lda(k + 5).ldc(n3 + 3).aOffset(2).cOffset(1).seed(seed++)));
        cases.add(new TesterCase<>("columns [nr+1, n-1)",
                new FloatGemmKernelTester().m(mr).n(n3).k(k).nRange(nr + 1, n3 - 1).seed(seed++)));
        cases.add(new TesterCase<>("batch 1, k=1000", new FloatGemmKernelTester().m(1).n(n3).k(1000).seed(seed++)));
        return cases;
    }

    /** The int8 depthwise edge set for kernels that process {@code channelTile} channels per vector. */
    public static List<TesterCase<DepthwiseKernelTester>> depthwise(int channelTile) {
        List<TesterCase<DepthwiseKernelTester>> cases = new ArrayList<>();
        long seed = 3000;
        for (DepthwiseTesterBase.Geometry g : DepthwiseTesterBase.edgeGeometries()) {
            for (int c : distinctPositive(1, channelTile - 1, channelTile, channelTile + 1, 2 * channelTile + 3)) {
                cases.add(new TesterCase<>(g.name() + " C=" + c, g.applyTo(new DepthwiseKernelTester()).channels(c).seed(seed++)));
            }
        }
        int c = 2 * channelTile + 1;
        cases.add(new TesterCase<>("per channel, batch 2, rows [1, last)",
                new DepthwiseKernelTester().channels(c).batch(2).size(6, 7).kernel(3).pad(1).rows(1, 11).perChannel(true)
                        .seed(seed++)));
        for (int za : new int[] {0, 255}) {
            cases.add(new TesterCase<>("extremes, zero point " + za + ", 3x3 pad 1",
                    new DepthwiseKernelTester().channels(c).size(5, 5).kernel(3).pad(1).aZeroPoint(za).extremes(Extremes.ONLY)
                            .seed(seed++)));
        }
        cases.add(new TesterCase<>("7-bit activations, extremes, 5x5 pad 2",
                new DepthwiseKernelTester().channels(c).size(7, 6).kernel(5).pad(2).activationMax(127).extremes(Extremes.ONLY)
                        .seed(seed++)));
        return cases;
    }

    /** The float depthwise edge set for kernels that process {@code channelTile} channels per vector. */
    public static List<TesterCase<FloatDepthwiseKernelTester>> floatDepthwise(int channelTile) {
        List<TesterCase<FloatDepthwiseKernelTester>> cases = new ArrayList<>();
        long seed = 4000;
        for (DepthwiseTesterBase.Geometry g : DepthwiseTesterBase.edgeGeometries()) {
            for (int c : distinctPositive(1, channelTile - 1, channelTile, channelTile + 1, 2 * channelTile + 3)) {
                cases.add(new TesterCase<>(g.name() + " C=" + c, g.applyTo(new FloatDepthwiseKernelTester()).channels(c).seed(seed++)));
            }
        }
        cases.add(new TesterCase<>("batch 2, rows [1, last)",
                new FloatDepthwiseKernelTester().channels(channelTile + 1).batch(2).size(6, 7).kernel(3).pad(1).rows(1, 11)
                        .seed(seed++)));
        return cases;
    }

    /** The quantize edge set for kernels of {@code lanes} elements per vector. */
    public static List<TesterCase<QuantizeKernelTester>> quantize(int lanes) {
        List<TesterCase<QuantizeKernelTester>> cases = new ArrayList<>();
        long seed = 5000;
        for (DType dtype : new DType[] {DType.QUINT8, DType.QINT8}) {
            for (int len : distinct(0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 3, 4 * lanes - 1, 1000)) {
                cases.add(new TesterCase<>(dtype + " length " + len + " offsets 1/3",
                        new QuantizeKernelTester().length(len).xOffset(1).qOffset(3).dtype(dtype)
                                .perChannelShape(2, 3, Math.max(0, len % (2 * lanes + 1))).seed(seed++)));
            }
            cases.add(new TesterCase<>(dtype + " zero point at the minimum",
                    new QuantizeKernelTester().length(3 * lanes + 1).dtype(dtype).zeroPoint(dtype.min()).seed(seed++)));
            cases.add(new TesterCase<>(dtype + " zero point at the maximum",
                    new QuantizeKernelTester().length(3 * lanes + 1).dtype(dtype).zeroPoint(dtype.max()).seed(seed++)));
            cases.add(new TesterCase<>(dtype + " per channel, inner 1 (channels innermost)",
                    new QuantizeKernelTester().length(lanes).dtype(dtype).perChannelShape(lanes + 3, 2 * lanes + 1, 1).seed(seed++)));
        }
        return cases;
    }

    private static void checkTile(int mr, int nr, int kr) {
        if (mr < 1 || nr < 1 || kr < 1) {
            throw new IllegalArgumentException("tile must be positive, got " + mr + "x" + nr + " kr " + kr);
        }
    }

    private static List<Integer> distinctPositive(int... values) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int v : values) {
            if (v >= 1) {
                s.add(v);
            }
        }
        return List.copyOf(s);
    }

    private static List<Integer> distinct(int... values) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int v : values) {
            if (v >= 0) {
                s.add(v);
            }
        }
        return List.copyOf(s);
    }
}
