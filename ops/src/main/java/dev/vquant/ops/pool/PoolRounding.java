package dev.vquant.ops.pool;

/** The requantization of PyTorch's quantized pooling kernels: {@code clamp(zp + rint(f32(acc) * m), 0, 255)}. */
final class PoolRounding {
    private PoolRounding() {
    }

    static int requantize(int acc, float multiplier, int zeroPoint) {
        float r = (float) Math.rint((float) acc * multiplier) + zeroPoint;
        if (!(r >= 0f)) {
            return 0;
        }
        return r >= 255f ? 255 : (int) r;
    }
}
