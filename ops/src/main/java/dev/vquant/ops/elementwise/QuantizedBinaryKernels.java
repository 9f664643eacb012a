package dev.vquant.ops.elementwise;

import dev.vquant.ops.math.VectorMath;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loops of the quantized binary operators, one lane per element, each computing
 * exactly what its scalar twin computes (the twins: {@link QAdd#atenBlocksScalar},
 * {@link QnnpackAdd#apply(int, int, int, int)}, {@link QMul#mulScalar}). Each loop handles the
 * whole vectors of its range and returns the index where it stopped; the caller's twin finishes
 * the range. A loop whose float parameters could make a lane infinite or NaN returns its start
 * untouched (the twin then does all of it), so the lanes never meet the cases where the vector
 * rounding below differs from {@code Math.rint}.
 *
 * <p>Float lanes are quantized as the x86 quantize kernels do: {@code y = x * inv}, clamped to
 * {@code [lo - zp, 255 - zp]} while still a float (clamping before rounding equals rounding before
 * clamping: the bounds are integers and rint is monotone), then {@code + 1.5*2^23} rounds half to
 * even ({@code |y| <= 255}) and the sum's bits minus {@code bits(1.5*2^23) - zp} are the quantized value.
 * A fused ReLU, {@code max(c, 0)} before quantizing in ATen's add and {@code max(q, zOut)} after
 * it in mul, is the lower bound 0 on {@code y} (the scales are positive, so {@code y <= 0} exactly
 * when {@code c <= 0}, and both give {@code zOut}).
 *
 * <p>The species is {@link VectorMath#SPECIES} with bytes of the same lane count; where that
 * would be under 64 bits of bytes (a 128-bit preferred width) the loops take no element.
 */
final class QuantizedBinaryKernels {
    private static final VectorSpecies<Float> F = VectorMath.SPECIES;
    /** Elements per vector step. */
    static final int LANES = F.length();
    private static final int L = LANES;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Bytes of {@code L} lanes; {@link #ENABLED} is false when that would be under 64 bits. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    /** Whether the loops take any element (false on a 128-bit preferred width). */
    static final boolean ENABLED = B.length() == L;
    /** 1.5 * 2^23: adding it to {@code |y| < 2^22} rounds half to even, leaving {@code rint(y)} in the low bits. */
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** Above this, float parameters are kept off the vector path (far below overflow). */
    private static final double FINITE_LIMIT = 0x1p100;

    private QuantizedBinaryKernels() {
    }

    /**
     * ATen's vector-loop add of {@code x[i]} and {@code y[i]} for {@code i} in {@code [start, end)}:
     * {@code c = fma(sa, f32(a), pa) + fma(sb, f32(b), pb)}, ReLU optional, quantized with {@code inv}
     * and {@code zOut}.
     *
     * @return the first index not written
     */
    static int atenAdd(byte[] x, byte[] y, byte[] out, int start, int end, float sa, float pa, float sb, float pb,
                       float inv, int zOut, boolean relu) {
        double maxC = 255.0 * sa + Math.abs(pa) + 255.0 * sb + Math.abs(pb);
        if (!ENABLED || !(maxC < FINITE_LIMIT && maxC * inv < FINITE_LIMIT)) {
            return start;
        }
        FloatVector vsa = FloatVector.broadcast(F, sa);
        FloatVector vpa = FloatVector.broadcast(F, pa);
        FloatVector vsb = FloatVector.broadcast(F, sb);
        FloatVector vpb = FloatVector.broadcast(F, pb);
        FloatVector vInv = FloatVector.broadcast(F, inv);
        FloatVector lo = FloatVector.broadcast(F, relu ? 0f : -zOut);
        FloatVector hi = FloatVector.broadcast(F, 255 - zOut);
        int bits = ROUND_BITS - zOut;
        int i = start;
        for (int bound = end - L; i <= bound; i += L) {
            FloatVector c = toFloats(x, i).fma(vsa, vpa).add(toFloats(y, i).fma(vsb, vpb));
            store(c.mul(vInv), lo, hi, bits, out, i);
        }
        return i;
    }

    /**
     * QNNPACK's fixed-point add (see {@link QnnpackAdd}) with its derived constants, for
     * {@code i} in {@code [start, end)}.
     *
     * @return the first index not written
     */
    static int qnnpackAdd(byte[] x, byte[] y, byte[] out, int start, int end, int aMultiplier, int bMultiplier,
                          int zeroPointProduct, int shift, int remainderMask, int remainderThreshold, int zOut, int lo) {
        if (!ENABLED) {
            return start;
        }
        int i = start;
        for (int bound = end - L; i <= bound; i += L) {
            IntVector acc = toInts(x, i).mul(aMultiplier).add(toInts(y, i).mul(bMultiplier)).add(zeroPointProduct);
            // (acc & mask) - (acc < 0 ? 1 : 0), then + (rem > threshold ? 1 : 0): sign bits instead of masks
            IntVector rem = acc.and(remainderMask).add(acc.lanewise(VectorOperators.ASHR, 31));
            IntVector up = rem.neg().add(remainderThreshold).lanewise(VectorOperators.LSHR, 31);
            IntVector v = acc.lanewise(VectorOperators.ASHR, shift).add(up).add(zOut).max(lo).min(255);
            v.convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes().intoArray(out, i);
        }
        return i;
    }

    /**
     * PyTorch's quantized mul for {@code i} in {@code [start, end)}: {@code f32((a - za) * (b - zb)) * m},
     * ReLU optional, quantized with {@code zOut}.
     *
     * @return the first index not written
     */
    static int mul(byte[] x, byte[] y, byte[] out, int start, int end, int za, int zb, float m, int zOut,
                   boolean relu) {
        if (!ENABLED || !(255.0 * 255.0 * m < FINITE_LIMIT)) {
            return start;
        }
        FloatVector vm = FloatVector.broadcast(F, m);
        FloatVector lo = FloatVector.broadcast(F, relu ? 0f : -zOut);
        FloatVector hi = FloatVector.broadcast(F, 255 - zOut);
        int bits = ROUND_BITS - zOut;
        int i = start;
        for (int bound = end - L; i <= bound; i += L) {
            IntVector c = toInts(x, i).sub(za).mul(toInts(y, i).sub(zb));
            store(((FloatVector) c.convert(VectorOperators.I2F, 0)).mul(vm), lo, hi, bits, out, i);
        }
        return i;
    }

    private static IntVector toInts(byte[] q, int i) {
        return (IntVector) ByteVector.fromArray(B, q, i).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }

    private static FloatVector toFloats(byte[] q, int i) {
        return (FloatVector) toInts(q, i).convert(VectorOperators.I2F, 0);
    }

    /** {@code out[i..] = rint(clamp(y, lo, hi)) + zOut} as bytes, {@code bits = ROUND_BITS - zOut}. */
    private static void store(FloatVector y, FloatVector lo, FloatVector hi, int bits, byte[] out, int i) {
        FloatVector c = y.blend(lo, y.lt(lo)).blend(hi, y.compare(VectorOperators.GT, hi));
        c.add(ROUND).reinterpretAsInts().sub(bits).convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes()
                .intoArray(out, i);
    }
}
