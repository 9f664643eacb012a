package dev.vquant.bench.peers;

import java.util.Locale;

/**
 * Whether vquant's output equals a peer's for the same inputs: integer outputs are compared
 * element by element (equal, or how many differ and by how much at most), float outputs by their
 * largest absolute difference (relative to the largest magnitude, since float kernels sum in
 * different orders).
 *
 * @param integer whether the outputs are integers (compared exactly) rather than floats
 * @param count how many elements were compared
 * @param mismatches how many elements differ
 * @param maxAbsDiff the largest absolute difference
 * @param maxAbs the largest absolute value of the peer's output
 */
public record Agreement(boolean integer, int count, int mismatches, double maxAbsDiff, double maxAbs) {

    /**
     * Two int32 outputs.
     *
     * @param vquant vquant's output
     * @param peer the peer's output, the same length
     * @return their agreement
     * @throws IllegalStateException when the lengths differ
     */
    public static Agreement ints(int[] vquant, int[] peer) {
        sameLength(vquant.length, peer.length);
        int bad = 0;
        long max = 0;
        long mag = 0;
        for (int i = 0; i < vquant.length; i++) {
            long d = Math.abs((long) vquant[i] - peer[i]);
            bad += d != 0 ? 1 : 0;
            max = Math.max(max, d);
            mag = Math.max(mag, Math.abs((long) peer[i]));
        }
        return new Agreement(true, vquant.length, bad, max, mag);
    }

    /**
     * Two quint8 outputs (bytes read as 0..255).
     *
     * @param vquant vquant's output
     * @param peer the peer's output, the same length
     * @return their agreement
     * @throws IllegalStateException when the lengths differ
     */
    public static Agreement uint8(byte[] vquant, byte[] peer) {
        sameLength(vquant.length, peer.length);
        int bad = 0;
        int max = 0;
        for (int i = 0; i < vquant.length; i++) {
            int d = Math.abs((vquant[i] & 0xff) - (peer[i] & 0xff));
            bad += d != 0 ? 1 : 0;
            max = Math.max(max, d);
        }
        return new Agreement(true, vquant.length, bad, max, 255);
    }

    /**
     * Two float outputs.
     *
     * @param vquant vquant's output
     * @param peer the peer's output, the same length
     * @return their agreement
     * @throws IllegalStateException when the lengths differ
     */
    public static Agreement floats(float[] vquant, float[] peer) {
        sameLength(vquant.length, peer.length);
        double max = 0;
        double mag = 0;
        int bad = 0;
        for (int i = 0; i < vquant.length; i++) {
            double d = Math.abs((double) vquant[i] - peer[i]);
            if (!(d <= max)) {
                max = d;       // also takes NaN, so a NaN output shows
            }
            bad += d != 0 ? 1 : 0;
            mag = Math.max(mag, Math.abs(peer[i]));
        }
        return new Agreement(false, vquant.length, bad, max, mag);
    }

    private static void sameLength(int a, int b) {
        if (a != b) {
            throw new IllegalStateException("outputs differ in size: vquant " + a + ", peer " + b);
        }
    }

    /** {@return whether the outputs are equal element by element} */
    public boolean exact() {
        return mismatches == 0;
    }

    /**
     * {@return the largest difference over the largest peer magnitude (the difference itself when that magnitude is 0)}
     */
    public double relative() {
        return maxAbs == 0 ? maxAbsDiff : maxAbsDiff / maxAbs;
    }

    /**
     * For the table: "ints equal", "3/768 differ by {@code <=1}", or "max|d| 1.2e-05 (rel 3.1e-07)".
     *
     * @return the comparison as printed in the table's agreement column
     */
    public String text() {
        if (integer) {
            return mismatches == 0 ? "ints equal"
                    : String.format(Locale.ROOT, "%d/%d differ by <=%d", mismatches, count, (long) maxAbsDiff);
        }
        return String.format(Locale.ROOT, "max|d| %.2g (rel %.1g)", maxAbsDiff, relative());
    }
}
