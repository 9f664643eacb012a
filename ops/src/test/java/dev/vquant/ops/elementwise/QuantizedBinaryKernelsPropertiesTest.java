package dev.vquant.ops.elementwise;

import dev.vquant.ops.testing.Rand;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each Vector API loop of {@link QuantizedBinaryKernels}, finished by its scalar twin as the
 * operators run it, equals the twin alone bit for bit: ATen's add (fbgemm / reference engines),
 * QNNPACK's fixed-point add (qnnpack engine) and mul, over random ranges (vector tails), zero
 * points with their extremes, typical and extreme float32 scales (saturating outputs, and scales
 * so large the loop must decline), ReLU on and off. Where the parameters are ordinary the loop
 * must have covered all but a partial vector, so a loop that silently did nothing fails.
 */
class QuantizedBinaryKernelsPropertiesTest {

    /** The inputs of one case: operands, a random range, and the output before the call. */
    private record Case(byte[] x, byte[] y, byte[] before, int start, int end) {
        static Case draw(Rand r, int n) {
            int start = r.nextInt(0, n);
            int end = r.nextInt(start, n);
            return new Case(operand(r, n), operand(r, n), r.quint8(n), start, end);
        }

        byte[] out() {
            return before.clone();
        }
    }

    /** quint8 values with their extremes, sometimes all 0 or all 255 (the largest accumulators). */
    private static byte[] operand(Rand r, int n) {
        int kind = r.nextInt(0, 9);
        byte[] q = r.quint8(n);
        if (kind < 2) {
            Arrays.fill(q, (byte) (kind == 0 ? 0 : 255));
        }
        return q;
    }

    private static int zeroPoint(Rand r) {
        int kind = r.nextInt(0, 3);
        return kind == 0 ? 0 : kind == 1 ? 255 : r.nextInt(0, 255);
    }

    /**
     * A positive normal float32 for mode 0 (typical), 1 (anywhere in the float range) or 3 (a power
     * of two, so that results land exactly on rounding ties).
     */
    private static float scale(Rand r, int mode) {
        if (mode == 3) {
            return Math.scalb(1f, r.nextInt(-10, 1));
        }
        if (mode != 1) {
            return (float) r.scale(0.002, 0.5);
        }
        return Math.max(Float.MIN_NORMAL, Math.scalb(r.uniform(1f, 2f), r.nextInt(-126, 127)));
    }

    /**
     * Two operand scales and an output scale: mode 0 typical, 1 anywhere in float32 (some beyond the
     * vector loops' limit), 2 a tiny output scale (saturated outputs), 3 powers of two (ties).
     */
    private static float[] scales(Rand r, int mode) {
        float sa = scale(r, mode);
        float sb = scale(r, mode);
        float so = mode == 2 ? Math.scalb(r.uniform(1f, 2f), r.nextInt(-80, -30)) : scale(r, mode);
        return new float[]{sa, sb, so};
    }

    /** Zero points of the two operands and the output. */
    private static int[] zeroPoints(Rand r) {
        return new int[]{zeroPoint(r), zeroPoint(r), zeroPoint(r)};
    }

    private static void assertCovered(int stoppedAt, Case c, String what) {
        assertTrue(stoppedAt >= c.start && stoppedAt <= c.end, what + ": stopped at " + stoppedAt);
        assertTrue(!QuantizedBinaryKernels.ENABLED || c.end - stoppedAt < QuantizedBinaryKernels.LANES,
                what + ": the vector loop stopped at " + stoppedAt + " of [" + c.start + ", " + c.end + ")");
    }

    @Property(tries = 300)
    void atenAddVectorEqualsScalarTwin(@ForAll @IntRange(min = 1, max = 600) int n, @ForAll boolean relu,
                                       @ForAll @IntRange(min = 0, max = 3) int mode, @ForAll long seed) {
        Rand r = new Rand(seed);
        Case c = Case.draw(r, n);
        float[] s = scales(r, mode);
        float sa = s[0];
        float sb = s[1];
        float so = s[2];
        int[] z = zeroPoints(r);
        int za = z[0];
        int zb = z[1];
        int zo = z[2];
        float pa = QuantArith.premul(sa, za);
        float pb = QuantArith.premul(sb, zb);
        float inv = QuantArith.scalarInverse(so);
        String what = "add sa=" + sa + " za=" + za + " sb=" + sb + " zb=" + zb + " so=" + so + " zo=" + zo;

        byte[] twin = c.out();
        QAdd.atenBlocksScalar(c.x, c.y, twin, c.start, c.end, sa, pa, sb, pb, inv, zo, relu);
        byte[] vector = c.out();
        int i = QuantizedBinaryKernels.atenAdd(c.x, c.y, vector, c.start, c.end, sa, pa, sb, pb, inv, zo, relu);
        QAdd.atenBlocksScalar(c.x, c.y, vector, i, c.end, sa, pa, sb, pb, inv, zo, relu);
        assertArrayEquals(twin, vector, what);
        if (mode != 1) {
            assertCovered(i, c, what);
        }
    }

    @Property(tries = 300)
    void qnnpackAddVectorEqualsScalarTwin(@ForAll @IntRange(min = 1, max = 600) int n, @ForAll boolean relu,
                                          @ForAll @IntRange(min = 0, max = 3) int edges, @ForAll long seed) {
        Rand r = new Rand(seed);
        Case c = Case.draw(r, n);
        // scale ratios inside QNNPACK's [2^-14, 2^8) by construction; edges 1 and 2 put one at each end exactly,
        // 3 makes both powers of two (remainders exactly at half); a power-of-two output scale keeps them exact
        float so = edges == 0 ? scale(r, 0) : Math.scalb(1f, r.nextInt(-80, 80));
        float sa = so * switch (edges) {
            case 1 -> 0x1p-14f;
            case 2 -> Math.nextDown(256f);
            case 3 -> Math.scalb(1f, r.nextInt(-14, 7));
            default -> (float) Math.pow(2, r.uniform(-13.9f, 7.9f));
        };
        float sb = so * (edges == 3 ? Math.scalb(1f, r.nextInt(-14, 7)) : (float) Math.pow(2, r.uniform(-13.9f, 7.9f)));
        int[] z = zeroPoints(r);
        int za = z[0];
        int zb = z[1];
        int zo = z[2];
        int lo = relu ? zo : 0;
        QnnpackAdd add = new QnnpackAdd("Add", sa, za, sb, zb, so);
        String what = "qnnpack add sa=" + sa + " za=" + za + " sb=" + sb + " zb=" + zb + " so=" + so + " zo=" + zo;

        byte[] twin = c.out();
        for (int i = c.start; i < c.end; i++) {
            twin[i] = (byte) add.apply(c.x[i] & 0xFF, c.y[i] & 0xFF, zo, lo);
        }
        byte[] vector = c.out();
        add.apply(c.x, c.y, vector, c.start, c.end, zo, lo);
        assertArrayEquals(twin, vector, what);
    }

    @Property(tries = 300)
    void mulVectorEqualsScalarTwin(@ForAll @IntRange(min = 1, max = 600) int n, @ForAll boolean relu,
                                   @ForAll @IntRange(min = 0, max = 3) int mode, @ForAll long seed) {
        Rand r = new Rand(seed);
        Case c = Case.draw(r, n);
        float[] s = scales(r, mode);
        float m = s[0] * s[1] * (1.0f / s[2]); // as QMul
        int[] z = zeroPoints(r);
        int za = z[0];
        int zb = z[1];
        int zo = z[2];
        String what = "mul m=" + m + " za=" + za + " zb=" + zb + " zo=" + zo;

        byte[] twin = c.out();
        QMul.mulScalar(c.x, c.y, twin, c.start, c.end, za, zb, m, zo, relu);
        byte[] vector = c.out();
        int i = QuantizedBinaryKernels.mul(c.x, c.y, vector, c.start, c.end, za, zb, m, zo, relu);
        QMul.mulScalar(c.x, c.y, vector, i, c.end, za, zb, m, zo, relu);
        assertArrayEquals(twin, vector, what);
        if (mode != 1) {
            assertCovered(i, c, what);
        }
    }
}
