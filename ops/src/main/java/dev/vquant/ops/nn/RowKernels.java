package dev.vquant.ops.nn;

import dev.vquant.ops.math.ScalarMath;
import dev.vquant.ops.math.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-row Vector API kernels of softmax and LayerNorm. Reductions keep one partial per lane
 * over the full vectors, add the lanes in lane order, then the tail elements in order: a fixed
 * summation order (the Vector API's own {@code reduceLanes(ADD)} leaves it unspecified), which
 * {@code RowKernelsReference} (in the tests), the scalar twin, repeats so both agree bit for bit.
 */
final class RowKernels {
    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    /** FloatVector's class for S: a cast to it gives a loop-carried vector its exact type (package doc). */
    private static final Class<? extends Vector<Float>> EXACT = S.vectorType();
    private static final int L = VectorMath.LANES;

    private RowKernels() {
    }

    /** A scratch array of one vector's lanes, for the fixed-order lane sums (one per calling range). */
    static float[] scratch() {
        return new float[L];
    }

    /** Lanes of {@code acc} added in lane order. */
    private static float laneSum(FloatVector acc, float[] scratch) {
        ((FloatVector) EXACT.cast(acc)).intoArray(scratch, 0);
        float s = 0f;
        for (int j = 0; j < L; j++) {
            s += scratch[j];
        }
        return s;
    }

    /**
     * {@code out[o + i] = e^(x[i] - max) / sum_j e^(x[j] - max)} over {@code x[off .. off + n)},
     * as PyTorch's last-dimension softmax: the exponentials, their sum, then one multiply by its
     * reciprocal.
     */
    static void softmax(float[] x, int off, float[] out, int o, int n, float[] scratch) {
        int bound = S.loopBound(n);
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (bound > 0) {
            FloatVector m = FloatVector.fromArray(S, x, off);
            for (i = L; i < bound; i += L) {
                m = FloatVector.fromArray(S, x, off + i).max(m);
            }
            ((FloatVector) EXACT.cast(m)).intoArray(scratch, 0);
            for (int j = 0; j < L; j++) {
                max = Math.max(max, scratch[j]);
            }
        }
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        FloatVector acc = FloatVector.zero(S);
        for (i = 0; i < bound; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, off + i).sub(max));
            e.intoArray(out, o + i);
            acc = e.add(acc);
        }
        float sum = laneSum(acc, scratch);
        for (; i < n; i++) {
            float e = ScalarMath.exp(x[off + i] - max);
            out[o + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, out, o + i).mul(inv).intoArray(out, o + i);
        }
        for (; i < n; i++) {
            out[o + i] *= inv;
        }
    }

    /**
     * LayerNorm of {@code x[off .. off + n)}: two passes, {@code mean = sum(x)/n},
     * {@code var = sum((x - mean)^2)/n} (biased, as PyTorch), {@code rstd = 1/sqrt(var + eps)},
     * then {@code y = fma(fma(x, rstd, -rstd*mean), gamma, beta)} ({@code gamma}, {@code beta} null
     * for no affine).
     */
    static void layerNorm(float[] x, int off, float[] out, int o, int n, float eps, float[] gamma, float[] beta, float[] scratch) {
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        int i;
        for (i = 0; i < bound; i += L) {
            acc = FloatVector.fromArray(S, x, off + i).add(acc);
        }
        float sum = laneSum(acc, scratch);
        for (; i < n; i++) {
            sum += x[off + i];
        }
        float mean = sum / n;
        acc = FloatVector.zero(S);
        for (i = 0; i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mean);
            acc = d.fma(d, acc);
        }
        float sq = laneSum(acc, scratch);
        for (; i < n; i++) {
            float d = x[off + i] - mean;
            sq = Math.fma(d, d, sq);
        }
        float rstd = 1f / (float) Math.sqrt(sq / n + eps);
        float shift = -rstd * mean;
        FloatVector vr = FloatVector.broadcast(S, rstd);
        FloatVector vs = FloatVector.broadcast(S, shift);
        for (i = 0; i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, x, off + i).fma(vr, vs);
            if (gamma != null) {
                t = t.fma(FloatVector.fromArray(S, gamma, i), FloatVector.fromArray(S, beta, i));
            }
            t.intoArray(out, o + i);
        }
        for (; i < n; i++) {
            float t = Math.fma(x[off + i], rstd, shift);
            out[o + i] = gamma == null ? t : Math.fma(t, gamma[i], beta[i]);
        }
    }
}
