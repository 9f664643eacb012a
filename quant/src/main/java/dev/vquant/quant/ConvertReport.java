package dev.vquant.quant;

import java.util.List;

/**
 * What {@link Quantize#convert} did: every module it replaced with a quantized one, and every module
 * with a qconfig that it left float, with the reason. Nothing is skipped silently.
 *
 * @param converted one line per replaced module: {@code name: FloatClass -> QuantizedClass}
 * @param leftFloat one line per module with a qconfig that stayed float: {@code name (Class): reason}
 */
public record ConvertReport(List<String> converted, List<String> leftFloat) {

    /** Copies the lists (the record is immutable). */
    public ConvertReport {
        converted = List.copyOf(converted);
        leftFloat = List.copyOf(leftFloat);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("converted " + converted.size() + " modules");
        for (String c : converted) {
            sb.append("\n  ").append(c);
        }
        sb.append("\nleft float: ").append(leftFloat.isEmpty() ? "none" : leftFloat.size());
        for (String f : leftFloat) {
            sb.append("\n  ").append(f);
        }
        return sb.toString();
    }
}
