package dev.vquant.engine.testing;

import dev.vquant.engine.reference.QGemmReference;
import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.Requantization;

import java.util.SplittableRandom;

/**
 * Tests one {@link QGemmKernels} against {@link QGemmReference}, bit for bit, in the style of
 * XNNPACK's gemm-microkernel-tester:
 * <pre>
 * new QGemmKernelTester().m(5).n(37).k(129).lda(140).ldc(40).nRange(3, 35)
 *         .perChannel(true).activationMax(127).extremes(Extremes.MIXED).seed(seed).test(kernels);
 * </pre>
 * {@link #test} generates A (quint8 in {@code [0, activationMax]}), W (qint8) and zero points from
 * the seed, packs W with both the kernel under test and the reference, and compares
 * {@code gemmInt32}, {@code gemmRequantize} for every {@link Requantization} mode (fbgemm, qnnpack,
 * fixed point; ReLU or not; random and power-of-two scales; bias or not) and {@code gemmFloat}
 * (fused and unfused). It also checks that nothing outside the written region of C changed
 * (columns outside {@code [nStart, nEnd)}, padding up to {@code ldc}, guard elements after the
 * end: canaries) and that A and W were not modified. Failures throw {@link AssertionError} naming
 * M, N, K, the strides, the seed and the output stage.
 *
 * <p>From jqwik: let the property generate the shape and a {@code long} seed and call
 * {@code test}; the tester is cheap to build per try.
 */
public final class QGemmKernelTester extends GemmTesterBase<QGemmKernelTester> {
    private static final QGemmReference REFERENCE = TestBackends.reference().qgemm();

    private Integer aZeroPoint;
    private boolean perChannel;
    private int[] weightZeroPoints;
    private int activationMax = 255;
    private Extremes extremes = Extremes.NONE;

    @Override
    QGemmKernelTester self() {
        return this;
    }

    /** The activation zero point (default: random in {@code [0, activationMax]}). */
    public QGemmKernelTester aZeroPoint(int aZeroPoint) {
        this.aZeroPoint = aZeroPoint;
        return this;
    }

    /** Per-channel weight zero points and scales (default per tensor); zero points random. */
    public QGemmKernelTester perChannel(boolean perChannel) {
        this.perChannel = perChannel;
        return this;
    }

    /** Explicit weight zero points: length 1 (per tensor) or n (per channel, which also makes scales per channel). */
    public QGemmKernelTester weightZeroPoints(int... zeroPoints) {
        this.weightZeroPoints = zeroPoints.clone();
        this.perChannel = zeroPoints.length > 1;
        return this;
    }

    /** Largest activation value (127 for 7-bit / reduce_range activations, default 255). */
    public QGemmKernelTester activationMax(int activationMax) {
        this.activationMax = activationMax;
        return this;
    }

    public QGemmKernelTester extremes(Extremes extremes) {
        this.extremes = extremes;
        return this;
    }

    /** Runs every output stage of {@code underTest} and compares with the reference. */
    public void test(QGemmKernels underTest) {
        checkShape();
        if (activationMax < 0 || activationMax > 255) {
            throw new IllegalStateException("activationMax must be in [0, 255], got " + activationMax);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] a = new byte[aLength()];
        TestValues.junk(rng, a);
        byte[] rows = TestValues.activations(rng, m * k, activationMax, extremes);
        for (int i = 0; i < m; i++) {
            System.arraycopy(rows, i * k, a, aOffset + i * lda(), k);
        }
        byte[] w = TestValues.weights(rng, n * k, extremes);
        int za = aZeroPoint != null ? aZeroPoint : TestValues.activationZeroPoint(rng, activationMax, extremes);
        int[] zw = weightZeroPoints != null ? weightZeroPoints
                : TestValues.weightZeroPoints(rng, perChannel ? n : 1, extremes);
        String shape = "QGemmKernelTester " + describe() + " aZeroPoint=" + za + " weightZeroPoints="
                + (zw.length == 1 ? zw[0] : "per-channel") + " activationMax=" + activationMax + " extremes=" + extremes;

        byte[] aBefore = a.clone();
        byte[] wBefore = w.clone();
        PackedQGemmWeights mine = underTest.pack(w, n, k, zw);
        PackedQGemmWeights ref = REFERENCE.pack(w, n, k, zw);
        Canaries.assertUnchanged(shape, "weights (pack)", wBefore, w);

        int[] expected = new int[cLength()];
        int[] actual = new int[cLength()];
        Canaries.fill(expected);
        Canaries.fill(actual);
        REFERENCE.gemmInt32(a, aOffset, lda(), m, za, ref, nStart, nEnd(), expected, cOffset, ldc());
        underTest.gemmInt32(a, aOffset, lda(), m, za, mine, nStart, nEnd(), actual, cOffset, ldc());
        Canaries.assertExact(shape + " gemmInt32", expected, actual, this::written, this::where);

        long maxAbsAcc = 1;
        for (int i = 0; i < expected.length; i++) {
            if (written(i)) {
                maxAbsAcc = Math.max(maxAbsAcc, Math.abs((long) expected[i]));
            }
        }
        // one real accumulator per column, for the exact-tie case
        int[] tieAcc = new int[n];
        for (int j = nStart; j < nEnd(); j++) {
            tieAcc[j] = expected[cOffset + rng.nextInt(m) * ldc() + j];
        }
        // the reference's output stages are Requantization.apply / FloatOutput.apply on its accumulators:
        // derive them from the int32 result (one reference GEMM instead of one per stage) and check
        // that derivation against the reference's own gemmRequantize / gemmFloat once each
        boolean selfChecked = false;
        for (RequantizationCases.Case<Requantization> c : RequantizationCases.requantizations(rng, n, zw.length > 1, maxAbsAcc, tieAcc)) {
            byte[] want = new byte[cLength()];
            Canaries.fill(want);
            for (int i = 0; i < want.length; i++) {
                if (written(i)) {
                    want[i] = (byte) c.stage().apply(expected[i], column(i));
                }
            }
            if (!selfChecked) {
                byte[] direct = new byte[cLength()];
                Canaries.fill(direct);
                REFERENCE.gemmRequantize(a, aOffset, lda(), m, za, ref, nStart, nEnd(), c.stage(), direct, cOffset, ldc());
                Canaries.assertExact(shape + " reference self-check " + c.name(), want, direct, this::written, this::where);
                selfChecked = true;
            }
            byte[] got = new byte[cLength()];
            Canaries.fill(got);
            underTest.gemmRequantize(a, aOffset, lda(), m, za, mine, nStart, nEnd(), c.stage(), got, cOffset, ldc());
            Canaries.assertExact(shape + " gemmRequantize " + c.name(), want, got, this::written, this::where);
        }
        selfChecked = false;
        for (RequantizationCases.Case<FloatOutput> c : RequantizationCases.floatOutputs(rng, n, zw.length > 1, maxAbsAcc)) {
            float[] want = new float[cLength()];
            Canaries.fill(want);
            for (int i = 0; i < want.length; i++) {
                if (written(i)) {
                    want[i] = c.stage().apply(expected[i], column(i));
                }
            }
            if (!selfChecked) {
                float[] direct = new float[cLength()];
                Canaries.fill(direct);
                REFERENCE.gemmFloat(a, aOffset, lda(), m, za, ref, nStart, nEnd(), c.stage(), direct, cOffset, ldc());
                Canaries.assertFloats(shape + " reference self-check " + c.name(), want, direct, this::written, null, this::where);
                selfChecked = true;
            }
            float[] got = new float[cLength()];
            Canaries.fill(got);
            underTest.gemmFloat(a, aOffset, lda(), m, za, mine, nStart, nEnd(), c.stage(), got, cOffset, ldc());
            Canaries.assertFloats(shape + " gemmFloat " + c.name(), want, got, this::written, null, this::where);
        }
        Canaries.assertUnchanged(shape, "activations A", aBefore, a);
    }
}
