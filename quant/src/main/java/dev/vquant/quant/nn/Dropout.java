package dev.vquant.quant.nn;

import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.Elementwise;
import dev.vquant.quant.autograd.GradTape;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.Dropout(p=0.5)}: the identity in eval mode; in training mode each element is
 * zeroed with probability {@code p} and the others scaled by {@code 1/(1-p)}, drawn from a
 * generator seeded at construction (same seed, same masks in the same order). Training forwards
 * advance the generator, so they are not thread-safe.
 */
public final class Dropout extends Module {
    private final double p;
    private SplittableRandom random;

    /** {@code p = 0.5}, seeded from {@link Init#nextSeed()}. */
    public Dropout() {
        this(0.5);
    }

    /**
     * Seeded from {@link Init#nextSeed()}.
     *
     * @param p the probability of zeroing an element, in [0, 1]
     * @throws IllegalArgumentException when p is outside [0, 1]
     */
    public Dropout(double p) {
        this(p, Init.nextSeed());
    }

    /**
     * PyTorch's {@code nn.Dropout(p)}: in training mode zeroes each element with probability {@code p} and scales the others by {@code 1 / (1 - p)}; the identity in eval mode.
     *
     * @param p    the probability of zeroing an element, in [0, 1]
     * @param seed seed of the masks drawn in training mode
     * @throws IllegalArgumentException when p is outside [0, 1]
     */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.random = new SplittableRandom(seed);
    }

    /** {@return the probability of zeroing an element in training mode} */
    public double p() {
        return p;
    }

    /** @throws IllegalArgumentException in training mode when x is quantized */
    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        float[] in = x.storageFloat(this).data();
        float[] out = new float[in.length];
        GradTape tape = GradTape.recording();
        BitSet kept = tape == null ? null : new BitSet(in.length);
        float scale = p < 1 ? (float) (1.0 / (1.0 - p)) : 0f;
        if (p < 1) {
            for (int i = 0; i < in.length; i++) {
                boolean drop = random.nextDouble() < p;
                out[i] = drop ? 0f : in[i] * scale;
                if (kept != null && !drop) {
                    kept.set(i);
                }
            }
        }
        Tensor y = x.withStorage(dev.vquant.engine.FloatTensor.of(out, x.storageFloat(this).shape()));
        if (tape != null) {
            Elementwise.dropout(tape, x, y, kept, scale);
        }
        return y;
    }

    /** A copy draws its own masks (split from this generator), never the original's sequence. */
    @Override
    protected void afterCopy() {
        random = random.split();
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.floating(p) + ", inplace=False";
    }
}
