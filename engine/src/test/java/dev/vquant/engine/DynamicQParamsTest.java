package dev.vquant.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DynamicQParams} is ATen's {@code ChooseQuantizationParams}: bit-exact with PyTorch 1.13 on
 * 632 seeded ranges ({@code golden/dynamic_qparams.json}, written by
 * {@code tools/golden/dynamic_qparams.py}), and on ranges built so that MinMaxObserver's float32
 * scale differs from the double-precision one, equal to an exact-arithmetic oracle.
 */
class DynamicQParamsTest {

    /**
     * {@code preserve_sparsity} (symmetric schemes in PyTorch's fused observer + fake-quant), bit
     * for bit with PyTorch 1.13's {@code torch.fused_moving_avg_obs_fake_quant} on the given range:
     * {min bits, max bits, qmin, qmax, scale bits, zero point}; straddling ranges get the middle zero
     * point, one-sided ones the affine formula, tiny ones the 6.1e-5 floor.
     */
    @Test
    void preserveSparsityIsPyTorchsSymmetricChoice() {
        int[][] cases = {
                {-1082130432, 1073741824, -128, 127, 1015087620, 0},
                {-1086276628, 1064440343, -128, 127, 1005845003, 0},
                {1056964608, 1077936128, -128, 127, 1010876609, -128},
                {-1069547520, -1098907648, -128, 127, 1010876609, 127},
                {-1249495107, 906377149, -128, 127, 947903040, 0},
                {-1097229926, 1045220557, -127, 127, 991573097, 0}};
        for (int[] c : cases) {
            float min = Float.intBitsToFloat(c[0]);
            float max = Float.intBitsToFloat(c[1]);
            DynamicQParams.Choice q = DynamicQParams.choose(min, max, c[2], c[3], true);
            assertEquals(Float.intBitsToFloat(c[4]), q.scale(), "scale of [" + min + ", " + max + "]");
            assertEquals(c[5], q.zeroPoint(), "zero point of [" + min + ", " + max + "]");
        }
    }

    @Test
    void everyPyTorchCaseIsBitExact() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/golden/dynamic_qparams.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (JsonNode c : root.get("cases")) {
            float min = Float.intBitsToFloat(c.get("min_bits").asInt());
            float max = Float.intBitsToFloat(c.get("max_bits").asInt());
            boolean rr = c.get("reduce_range").asBoolean();
            DynamicQParams.Choice got = DynamicQParams.quint8(min, max, rr);
            if (Float.floatToRawIntBits(got.scale()) != c.get("scale_bits").asInt()
                    || got.zeroPoint() != c.get("zero_point").asInt()) {
                failures.add("[" + min + ", " + max + "] rr=" + rr + ": got " + got + ", PyTorch scale "
                        + Float.intBitsToFloat(c.get("scale_bits").asInt()) + " zp " + c.get("zero_point").asInt());
            }
            n++;
        }
        assertEquals(632, n);
        assertTrue(failures.isEmpty(), failures.size() + " of " + n + " differ: " + failures);
    }

    /**
     * Ranges straddling 0 where {@code f32(f32(max - min) / (qmax - qmin))} (MinMaxObserver) and
     * {@code f32(((double) max - min) / (qmax - qmin))} (linear_dynamic) differ. The generator walks
     * the maximum up one ulp at a time from a random start until the two disagree (about every
     * other step does); should a walk of 4096 steps find none, it uses a pair known to differ, so
     * no draw is ever discarded.
     */
    @Property(tries = 300)
    void scaleIsTheDoublePrecisionOneWhereTheFormulasDiffer(@ForAll long seed, @ForAll boolean reduceRange) {
        int range = reduceRange ? 127 : 255;
        SplittableRandom r = new SplittableRandom(seed);
        float max = (float) Math.scalb(1 + r.nextDouble(), r.nextInt(-4, 8));
        float min = -(float) Math.scalb(1 + r.nextDouble(), Math.getExponent(max) - r.nextInt(4, 20));
        int steps = 0;
        while (steps < 4096 && floatFormula(min, max, range) == exactScale(min, max, range)) {
            max = Math.nextUp(max);
            steps++;
        }
        if (steps == 4096) {
            min = -0x1.ed2f8ap-13f;
            max = 0x1.c2cd78p-1f;
        }
        float exact = exactScale(min, max, range);
        assertNotEquals(floatFormula(min, max, range), exact, "the generator must produce a distinguishing range");
        DynamicQParams.Choice got = DynamicQParams.quint8(min, max, reduceRange);
        assertEquals(Float.floatToRawIntBits(exact), Float.floatToRawIntBits(got.scale()),
                "[" + min + ", " + max + "] range 0.." + range + ": scale " + got.scale() + ", exact " + exact);
        QParams.PerTensor observer = QParamsCalculator.of(DType.QUINT8, QParamsCalculator.Scheme.AFFINE, reduceRange)
                .perTensor(min, max);
        assertNotEquals(Float.floatToRawIntBits((float) observer.scale()), Float.floatToRawIntBits(got.scale()));
        assertTrue(got.zeroPoint() >= 0 && got.zeroPoint() <= range);
    }

    @Test
    void fallbackPairDistinguishesTheFormulas() {
        for (int range : new int[]{127, 255}) {
            assertNotEquals(floatFormula(-0x1.ed2f8ap-13f, 0x1.c2cd78p-1f, range), exactScale(-0x1.ed2f8ap-13f, 0x1.c2cd78p-1f, range));
        }
    }

    @Test
    void degenerateAndTinyRanges() {
        assertEquals(new DynamicQParams.Choice(0.1f, 0), DynamicQParams.quint8(0f, 0f, false));
        DynamicQParams.Choice tiny = DynamicQParams.quint8(0f, 1e-6f, false);
        assertEquals(DynamicQParams.SMALL_SCALE_THRESHOLD, tiny.scale());
        assertEquals(0, tiny.zeroPoint());
        assertEquals(255, DynamicQParams.quint8(-1e-6f, 0f, false).zeroPoint());
        assertEquals(127, DynamicQParams.quint8(-3f, -1f, true).zeroPoint());
    }

    @Test
    void badRangesNameTheProblem() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> DynamicQParams.quint8(Float.NaN, 1f, false));
        assertTrue(nan.getMessage().contains("finite"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> DynamicQParams.quint8(0f, Float.POSITIVE_INFINITY, false));
        assertTrue(inf.getMessage().contains("Infinity"), inf.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> DynamicQParams.quint8(2f, 1f, false));
        assertTrue(order.getMessage().contains("min 2.0 > max 1.0"), order.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DynamicQParams.choose(0f, 1f, 5, 5));
    }

    /** MinMaxObserver's float32 arithmetic (min/max already straddle 0, scale above eps). */
    private static float floatFormula(float min, float max, int range) {
        return (max - min) / (float) range;
    }

    /**
     * f32(round_double(round_double(max - min) / range)) computed with exact decimals: an oracle
     * that shares no floating-point operation with the code under test.
     */
    private static float exactScale(float min, float max, int range) {
        double diff = new BigDecimal(max).subtract(new BigDecimal(min)).doubleValue();
        MathContext exactEnough = new MathContext(1100, RoundingMode.HALF_EVEN);
        double quotient = new BigDecimal(diff).divide(BigDecimal.valueOf(range), exactEnough).doubleValue();
        return (float) quotient;
    }
}
