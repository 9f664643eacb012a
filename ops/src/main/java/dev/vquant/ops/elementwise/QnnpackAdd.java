package dev.vquant.ops.elementwise;

/**
 * The fixed-point add of PyTorch's QNNPACK ({@code pytorch_qnnp_create_add_nc_q8} and its
 * {@code q8vadd} kernels), which PyTorch's qnnpack engine runs for quint8 {@code quantized::add}:
 * with {@code ra = f32(sa) / f32(sOut)} and {@code rb} likewise (each in {@code [2^-14, 2^8)}),
 * {@code shift = 21 - exponent(max(ra, rb))}, multipliers {@code ma = lrintf(ra * 2^shift)},
 * {@code mb} likewise, {@code acc = ma*(a - za) + mb*(b - zb)} (int32), then
 * {@code y = clamp(((acc >> shift) + round-half-away(rem)) + zOut, lo, 255)} where the remainder
 * rounds away from zero at exactly half. All integer: the SSE2, NEON and scalar kernels agree.
 */
final class QnnpackAdd {
    private final int aMultiplier;
    private final int bMultiplier;
    private final int zeroPointProduct;
    private final int shift;
    private final int remainderMask;
    private final int remainderThreshold;

    /**
     * @throws IllegalArgumentException when a scale ratio is outside QNNPACK's {@code [2^-14, 2^8)}
     *                                  (PyTorch's qnnpack engine refuses the operator there)
     */
    QnnpackAdd(String op, float aScale, int aZeroPoint, float bScale, int bZeroPoint, float outScale) {
        float ra = aScale / outScale;
        float rb = bScale / outScale;
        checkRatio(op, "first", ra);
        checkRatio(op, "second", rb);
        int exponent = Math.getExponent(Math.max(ra, rb));
        this.shift = 21 - exponent;
        float multiplier = Math.scalb(1.0f, shift);
        this.aMultiplier = (int) Math.rint(ra * multiplier);
        this.bMultiplier = (int) Math.rint(rb * multiplier);
        this.zeroPointProduct = -(aMultiplier * aZeroPoint + bMultiplier * bZeroPoint);
        this.remainderMask = (1 << shift) - 1;
        this.remainderThreshold = remainderMask >>> 1;
    }

    private static void checkRatio(String op, String which, float r) {
        if (!(r >= 0x1p-14f && r < 0x1p8f)) {
            throw new IllegalArgumentException(op + ": the " + which + " input's scale / output scale is " + r
                    + "; the qnnpack engine's add needs it in [2^-14, 2^8) (PyTorch's qnnpack refuses it too)");
        }
    }

    /**
     * {@code out[i] = apply(a[i], b[i], zeroPoint, lo)} for {@code start <= i < end}: whole vectors
     * in {@link QuantizedBinaryKernels#qnnpackAdd}, the rest here.
     */
    void apply(byte[] a, byte[] b, byte[] out, int start, int end, int zeroPoint, int lo) {
        int i = QuantizedBinaryKernels.qnnpackAdd(a, b, out, start, end, aMultiplier, bMultiplier, zeroPointProduct,
                shift, remainderMask, remainderThreshold, zeroPoint, lo);
        for (; i < end; i++) {
            out[i] = (byte) apply(a[i] & 0xFF, b[i] & 0xFF, zeroPoint, lo);
        }
    }

    /**
     * The sum of stored values {@code a} and {@code b}, clamped to {@code [lo, 255]}: the reference
     * twin of the vector loop, which must equal it bit for bit.
     */
    int apply(int a, int b, int zeroPoint, int lo) {
        int acc = zeroPointProduct + a * aMultiplier + b * bMultiplier;
        int rem = (acc & remainderMask) - (acc < 0 ? 1 : 0);
        int v = (acc >> shift) + (rem > remainderThreshold ? 1 : 0) + zeroPoint;
        return Math.min(Math.max(v, lo), 255);
    }
}
