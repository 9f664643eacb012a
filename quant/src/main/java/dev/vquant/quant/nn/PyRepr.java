package dev.vquant.quant.nn;

import java.math.BigDecimal;

/** Values written as Python prints them, for PyTorch-style {@code extra_repr} strings. */
final class PyRepr {
    private PyRepr() {
    }

    /** {@code True} / {@code False}. */
    static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /** A pair as a tuple {@code (a, b)}. */
    static String tuple(int a, int b) {
        return "(" + a + ", " + b + ")";
    }

    /** An int when both are equal (how a user passes a square size), else the tuple. */
    static String intOrTuple(int a, int b) {
        return a == b ? Integer.toString(a) : tuple(a, b);
    }

    /**
     * Python's {@code repr(float)}: the shortest decimal that round-trips, positional between 1e-4
     * and 1e16, else {@code 1e-05} style.
     */
    static String floating(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            String digits = d.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = d.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
