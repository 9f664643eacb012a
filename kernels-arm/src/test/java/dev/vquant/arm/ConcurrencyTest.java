package dev.vquant.arm;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.testing.TestBackends;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Many threads share one engine and one set of packed weights, each with its own shapes (so the
 * per-thread scratch of each grows differently), and every result still equals the reference.
 * Tagged "large": skipped under qemu emulation (arm64 profile), where threads are emulated slowly
 * and thread-safety is a property of the Java code, not of the CPU.
 */
@Tag("large")
class ConcurrencyTest {

    @Test
    void sharedWeightsManyThreads() throws Exception {
        KernelBackend arm = new ArmBackend();
        KernelBackend ref = TestBackends.referenceBackend();
        SplittableRandom rng = new SplittableRandom(42);
        int n = 37;
        int k = 131;
        byte[] w = new byte[n * k];
        rng.nextBytes(w);
        int[] zw = {3};
        PackedQGemmWeights mine = arm.qgemm().pack(w, n, k, zw);
        PackedQGemmWeights theirs = ref.qgemm().pack(w, n, k, zw);
        Requantization rq = Requantization.qnnpack(0.05, new double[] {0.01}, null, 0.7, 120, false, n);
        int channels = 29;
        byte[] dw = new byte[channels * 9];
        rng.nextBytes(dw);
        PackedDepthwiseWeights dMine = arm.depthwise().pack(dw, channels, 3, 3, new int[] {0});
        PackedDepthwiseWeights dTheirs = ref.depthwise().pack(dw, channels, 3, 3, new int[] {0});
        ConvGeometry g = ConvGeometry.square(3, 1, 1);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int task = 0; task < 8; task++) {
                long seed = rng.nextLong();
                done.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    for (int rep = 0; rep < 6; rep++) {
                        int m = 1 + r.nextInt(9);
                        byte[] a = new byte[m * k];
                        r.nextBytes(a);
                        byte[] want = new byte[m * n];
                        byte[] got = new byte[m * n];
                        ref.qgemm().gemmRequantize(a, 0, k, m, 7, theirs, 0, n, rq, want, 0, n);
                        arm.qgemm().gemmRequantize(a, 0, k, m, 7, mine, 0, n, rq, got, 0, n);
                        assertArrayEquals(want, got, "gemm m=" + m);
                        int h = 1 + r.nextInt(6);
                        byte[] x = new byte[h * 5 * channels];
                        r.nextBytes(x);
                        int[] dWant = new int[h * 5 * channels];
                        int[] dGot = new int[h * 5 * channels];
                        ref.depthwise().convInt32(x, 1, h, 5, 9, dTheirs, g, 0, h, dWant);
                        arm.depthwise().convInt32(x, 1, h, 5, 9, dMine, g, 0, h, dGot);
                        assertArrayEquals(dWant, dGot, "depthwise h=" + h);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
