package dev.vquant.arm.output;

import dev.vquant.engine.spi.FloatOutput;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dynamic-quantization output stage at 128 bits, bit-exact with {@link FloatOutput#apply}:
 * {@code y = fma(f32(acc), scale[j], bias[j])} when fused (fbgemm), else
 * {@code f32(f32(acc) * scale[j]) + bias[j]} (qnnpack), then {@code max(y, 0)} under ReLU.
 * The vector FMA is a true fused multiply-add, as {@link Math#fma} is.
 */
public final class FloatOutputV128 extends RowOutput {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;

    /** Creates an unbound stage; {@link #bind} it before each call. */
    public FloatOutputV128() {
    }

    private FloatOutput fo;
    private float[] out;

    /**
     * Binds the stage to one call's parameters and output array.
     *
     * @param fo  the call's scales, bias, rounding form and ReLU
     * @param out the float32 output the rows are written to
     * @return this stage, ready for {@link #row}
     */
    public FloatOutputV128 bind(FloatOutput fo, float[] out) {
        this.fo = fo;
        this.out = out;
        return this;
    }

    @Override
    public void row(int[] acc, int accOff, int j0, int len, int outOff) {
        float[] scale = fo.scale();
        float[] bias = fo.bias();
        boolean fused = fo.fused();
        boolean relu = fo.relu();
        FloatVector zero = FloatVector.zero(F);
        int t = 0;
        for (; t <= len - 4; t += 4) {
            int j = j0 + t;
            FloatVector a = (FloatVector) IntVector.fromArray(I, acc, accOff + t).convertShape(VectorOperators.I2F, F, 0);
            FloatVector s = FloatVector.fromArray(F, scale, j);
            FloatVector b = FloatVector.fromArray(F, bias, j);
            FloatVector y = fused ? a.fma(s, b) : a.mul(s).add(b);
            if (relu) {
                y = y.max(zero);
            }
            y.intoArray(out, outOff + t);
        }
        for (; t < len; t++) {
            out[outOff + t] = fo.apply(acc[accOff + t], j0 + t);
        }
    }
}
