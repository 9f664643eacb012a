package dev.vquant.quant.data;

import dev.vquant.quant.Tensor;

import java.util.Objects;

/**
 * The random affine augmentation of the MNIST recipes ({@code augment} in ../shared/mnist/train.py):
 * per image a rotation angle in {@code ±degrees}, a scale in {@code 1 ± scale} and a shift in
 * {@code ±shift} (normalized units: 1 is half the image, so 2/14 is 2 pixels of 28), drawn from a
 * {@link TorchGenerator} in train.py's order (all angles, all scales, then the x/y shift pairs),
 * applied about the image centre by {@link AffineWarp} (bilinear, zero fill) with
 * {@code theta = [[cos/s, -sin/s, tx], [sin/s, cos/s, ty]]}.
 *
 * <p>The draws are PyTorch's for the same generator state; theta is computed in float32 as train.py
 * does, except that Java's cosine and sine may differ from ATen's vectorized ones in the last bit
 * (golden/augment.json: within 2 ulps).
 */
public final class RandomAffine {
    private final double degrees;
    private final double scale;
    private final double shift;

    /**
     * An augmentation drawing angles in {@code [-degrees, degrees]}, scales in
     * {@code [1 - scale, 1 + scale]} and shifts in {@code [-shift, shift]} (normalized).
     *
     * @param degrees the largest rotation, in degrees
     * @param scale   the largest relative change of size, below 1
     * @param shift   the largest translation along each axis, as a fraction of the half-size (normalized coordinates span [-1, 1])
     * @throws IllegalArgumentException when an amount is negative or not finite, or {@code scale >= 1}
     */
    public RandomAffine(double degrees, double scale, double shift) {
        check(degrees, "degrees");
        check(scale, "scale");
        check(shift, "shift");
        if (scale >= 1) {
            throw new IllegalArgumentException("RandomAffine: scale must be below 1 (scales 1 - scale .. 1 + scale), got " + scale);
        }
        this.degrees = degrees;
        this.scale = scale;
        this.shift = shift;
    }

    /** {@return train.py's augmentation: rotation ±10 degrees, scale ±10%, shift ±2/14 (2 pixels of 28)} */
    public static RandomAffine mnistRecipe() {
        return new RandomAffine(10, 0.1, 2.0 / 14);
    }

    private static void check(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("RandomAffine: " + name + " must be non-negative and finite, got " + v);
        }
    }

    /**
     * Draws the transforms of {@code n} images: {@code [n, 2, 3]} row-major, as train.py builds theta.
     *
     * @param n         the number of images
     * @param generator the source of the draws, advanced
     * @return {@code 6 n} values
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public float[] drawTheta(int n, TorchGenerator generator) {
        Objects.requireNonNull(generator, "generator");
        if (n < 0) {
            throw new IllegalArgumentException("RandomAffine: image count must be non-negative, got " + n);
        }
        float[] ang = generator.rand(n);
        float[] sc = generator.rand(n);
        float[] sh = generator.rand(2 * n);
        // float32 tensor arithmetic with the Python scalars rounded to float, one op at a time
        float radians = (float) Math.toRadians(degrees);
        float scaleF = (float) scale;
        float shiftF = (float) shift;
        float[] theta = new float[6 * n];
        for (int i = 0; i < n; i++) {
            float a = (ang[i] * 2f - 1f) * radians;
            float s = 1f + (sc[i] * 2f - 1f) * scaleF;
            float cos = (float) Math.cos(a) / s;
            float sin = (float) Math.sin(a) / s;
            theta[6 * i] = cos;
            theta[6 * i + 1] = -sin;
            theta[6 * i + 2] = (sh[2 * i] * 2f - 1f) * shiftF;
            theta[6 * i + 3] = sin;
            theta[6 * i + 4] = cos;
            theta[6 * i + 5] = (sh[2 * i + 1] * 2f - 1f) * shiftF;
        }
        return theta;
    }

    /**
     * Augments a batch {@code [N, C, H, W]}: {@link #drawTheta} then {@link AffineWarp#apply}.
     *
     * @param images    the batch {@code [N, C, H, W]}, float
     * @param generator the source of the draws, advanced
     * @return a new augmented batch of the same shape
     */
    public Tensor apply(Tensor images, TorchGenerator generator) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4) {
            throw new IllegalArgumentException("RandomAffine: images must be [N, C, H, W], got rank " + images.rank());
        }
        return AffineWarp.apply(images, drawTheta(images.dim(0), generator));
    }

    @Override
    public String toString() {
        return "RandomAffine(degrees=" + degrees + ", scale=" + scale + ", shift=" + shift + ")";
    }
}
