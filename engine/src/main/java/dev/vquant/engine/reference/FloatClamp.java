package dev.vquant.engine.reference;

/** The float kernels' clamp bounds: validated once, applied as {@code min(max(v, lo), hi)}. */
final class FloatClamp {
    private FloatClamp() {
    }

    /** Bounds must not be NaN and must satisfy {@code lo <= hi} (infinities mean "no bound"). */
    static void check(float lo, float hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp range [" + lo + ", " + hi + "] is empty or NaN");
        }
    }

    /** {@code v} clamped into {@code [lo, hi]}. */
    static float apply(float v, float lo, float hi) {
        return Math.min(Math.max(v, lo), hi);
    }

    /** A bias array must be null or hold one entry per channel. */
    static void checkBias(float[] bias, int channels) {
        if (bias != null && bias.length != channels) {
            throw new IllegalArgumentException("bias has " + bias.length + " entries for " + channels + " output channels");
        }
    }
}
