package dev.vquant.quant.data;

import dev.vquant.quant.Tensor;

import java.util.Objects;

/**
 * One training batch: images {@code [B, C, H, W]} and their class labels (length B).
 *
 * @param images the inputs
 * @param labels one class index per image
 */
public record Batch(Tensor images, int[] labels) {
    /**
     * Validates the sizes.
     *
     * @throws IllegalArgumentException when the label count differs from the batch size
     */
    public Batch {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.rank() < 1 || images.dim(0) != labels.length) {
            throw new IllegalArgumentException("batch of " + (images.rank() < 1 ? "a scalar" : images.dim(0) + " images")
                    + " with " + labels.length + " labels");
        }
    }

    /** {@return the number of examples} */
    public int size() {
        return labels.length;
    }
}
