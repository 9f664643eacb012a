package dev.vquant.ops.elementwise;

import dev.vquant.ops.core.TensorChecks;

import java.util.Arrays;
import java.util.List;

/**
 * The geometry of a concatenation along {@code dim}: every input is {@code [outer][size_i][inner]}
 * and the output {@code [outer][sum size_i][inner]}. Validates that shapes agree off {@code dim}.
 */
record CatShape(int outer, int inner, int total, int[] outShape) {

    /** Validates the shapes (their element count must fit an int) and returns the geometry. */
    static CatShape of(String op, int dim, List<int[]> shapes) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException(op + ": expected at least one input tensor");
        }
        int[] first = shapes.get(0);
        if (dim >= first.length) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for shape " + Arrays.toString(first));
        }
        long total = 0;
        for (int[] s : shapes) {
            boolean ok = s.length == first.length;
            for (int i = 0; ok && i < s.length; i++) {
                ok = i == dim || s[i] == first[i];
            }
            if (!ok) {
                throw new IllegalArgumentException(op + ": expected shapes equal to " + Arrays.toString(first)
                        + " except along dimension " + dim + ", got " + Arrays.toString(s));
            }
            total += s[dim];
        }
        int outer = 1;
        for (int i = 0; i < dim; i++) {
            outer *= first[i];
        }
        int inner = 1;
        for (int i = dim + 1; i < first.length; i++) {
            inner *= first[i];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + shapes.size() + " inputs give " + total + " along dimension " + dim
                    + ", more than 2^31-1");
        }
        int[] out = first.clone();
        out[dim] = (int) total;
        TensorChecks.outputSize(op, out);
        return new CatShape(outer, inner, (int) total, out);
    }
}
