package dev.vquant.x86.dwconv;

import dev.vquant.engine.reference.DepthwiseReference;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.spi.VectorWidth;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights with zero point 0 (symmetric quantization, PyTorch's default) always take the
 * pair-grouped 3x3/5x5 passes; the shared tester draws such weights only now and then, so this
 * property pins that path: extremes (activations 0/255, weights -128/127, which make the largest
 * pair sums), every stride/pad/channel tail, row sub-ranges, every requantization mode, compared
 * bit for bit with the engine's {@link DepthwiseReference}.
 */
class SymmetricWeightsPairKernelsTest {
    private static final DepthwiseReference REFERENCE = new DepthwiseReference();
    private static final int CANARY = 0x5A5A5A5A;

    @Property(tries = 40)
    void pairKernelsEqualReference(@ForAll @IntRange(min = 1, max = 300) int channels,
                                   @ForAll @IntRange(min = 1, max = 12) int h, @ForAll @IntRange(min = 1, max = 12) int w,
                                   @ForAll boolean five, @ForAll @IntRange(min = 1, max = 2) int stride,
                                   @ForAll @IntRange(max = 2) int pad, @ForAll boolean extremes, @ForAll long seed) {
        int k = five ? 5 : 3;
        h = Math.max(h, k - 2 * pad);
        w = Math.max(w, k - 2 * pad);
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] x = new byte[h * w * channels];
        byte[] wt = new byte[channels * k * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (extremes && rng.nextBoolean() ? (rng.nextBoolean() ? 0 : 255) : rng.nextInt(256));
        }
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (byte) (extremes && rng.nextBoolean() ? (rng.nextBoolean() ? -128 : 127) : rng.nextInt(256) - 128);
        }
        int za = extremes ? (rng.nextBoolean() ? 0 : 255) : rng.nextInt(256);
        int[] zw = rng.nextBoolean() ? new int[] {0} : new int[channels];
        ConvGeometry g = ConvGeometry.square(k, stride, pad);
        int rows = g.outH(h);
        int start = rng.nextInt(rows);
        int end = start + 1 + rng.nextInt(rows - start);
        int outLen = rows * g.outW(w) * channels;
        String shape = "C=" + channels + " " + h + "x" + w + " k=" + k + " s=" + stride + " p=" + pad + " rows [" + start
                + ", " + end + ") zA=" + za + " seed=" + seed;

        PackedDepthwiseWeights ref = REFERENCE.pack(wt, channels, k, k, zw);
        int[] want = new int[outLen];
        Arrays.fill(want, CANARY);
        REFERENCE.convInt32(x, 1, h, w, za, ref, g, start, end, want);
        long maxAcc = 1;
        for (int v : want) {
            maxAcc = v == CANARY ? maxAcc : Math.max(maxAcc, Math.abs((long) v));
        }
        double[] ws = new double[channels];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            ws[c] = 0.01 * (1 + rng.nextDouble());
            bias[c] = (float) ((rng.nextDouble() - 0.5) * maxAcc * 0.01 * 0.05);
        }
        double outScale = 0.05 * 0.01 * maxAcc / 128;
        int zOut = rng.nextInt(256);
        Requantization[] stages = {
                Requantization.fbgemm(0.05, ws, bias, outScale, zOut, false, channels),
                Requantization.qnnpack(0.05, ws, bias, outScale, zOut, true, channels),
                Requantization.fixedPoint(0.05, ws, bias, outScale, zOut, false, channels),
        };
        for (VectorWidth width : new VectorWidth[] {VectorWidth.V512, VectorWidth.V256}) {
            X86DepthwiseKernels kernels = new X86DepthwiseKernels(width);
            PackedDepthwiseWeights mine = kernels.pack(wt, channels, k, k, zw);
            assertTrue(((X86PackedDepthwiseWeights) mine).pairs(), "symmetric weights must pair taps");
            int[] got = new int[outLen];
            Arrays.fill(got, CANARY);
            kernels.convInt32(x, 1, h, w, za, mine, g, start, end, got);
            assertArrayEquals(want, got, width + " convInt32 " + shape);
            for (Requantization rq : stages) {
                byte[] wantQ = new byte[outLen];
                byte[] gotQ = new byte[outLen];
                Arrays.fill(wantQ, (byte) 0x5A);
                Arrays.fill(gotQ, (byte) 0x5A);
                REFERENCE.convRequantize(x, 1, h, w, za, ref, g, rq, start, end, wantQ);
                kernels.convRequantize(x, 1, h, w, za, mine, g, rq, start, end, gotQ);
                assertArrayEquals(wantQ, gotQ, width + " convRequantize " + rq.mode() + " " + shape);
            }
        }
    }
}
