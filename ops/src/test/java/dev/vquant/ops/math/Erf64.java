package dev.vquant.ops.math;

/**
 * A float64 erf accurate to ~1e-15, the test oracle: the Maclaurin series below |z| = 2.5, the
 * continued fraction of erfc above (both textbook forms; the JDK has no erf).
 */
final class Erf64 {
    private Erf64() {
    }

    static double erf(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        double a = Math.abs(z);
        double r;
        if (a < 2.5) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -a * a / n;
                double t = term / (2 * n + 1);
                sum += t;
                if (Math.abs(t) < 1e-18 * Math.abs(sum)) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else if (a > 10) {
            r = 1;
        } else {
            // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...)))))
            double f = a;
            for (int k = 200; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        }
        return Math.copySign(r, z);
    }
}
