package dev.vquant.quant.data;

import dev.vquant.quant.Tensor;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A data set cut into shuffled mini-batches per epoch, as the recipes' loops do it:
 * {@code perm = torch.randperm(N, generator=g)}, then batches {@code perm[i:i + batch]} in order
 * (the last one smaller when {@code batch} does not divide N). With the same {@link TorchGenerator}
 * state the batches are PyTorch's, image for image.
 */
public final class ShuffledBatches {
    private final float[] images;
    private final int[] shape;
    private final int[] labels;
    private final int batchSize;
    private final TorchGenerator generator;

    /**
     * Batches of {@code batchSize} over {@code images} ({@code [N, ...]}) and their labels,
     * shuffled with {@code generator} (which the caller may share, e.g. with the augmentation, as
     * train.py shares one generator).
     *
     * @param images    the examples {@code [N, ...]}
     * @param labels    one class per example
     * @param batchSize the examples per batch; the last batch of an epoch may be smaller
     * @param generator draws each epoch's permutation
     * @throws IllegalArgumentException when the label count differs from N, N is 0, or the batch
     *                                  size is not positive
     */
    public ShuffledBatches(Tensor images, int[] labels, int batchSize, TorchGenerator generator) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.shape = images.shape();
        if (shape.length < 1 || shape[0] != labels.length) {
            throw new IllegalArgumentException("data set of shape " + Arrays.toString(shape) + " with " + labels.length + " labels");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("empty data set");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.images = images.toFloatArray();
        this.labels = labels.clone();
        this.batchSize = batchSize;
    }

    /** {@return the number of examples} */
    public int size() {
        return labels.length;
    }

    /** {@return the batches per epoch: {@code ceil(N / batchSize)}} */
    public int batchesPerEpoch() {
        return (labels.length + batchSize - 1) / batchSize;
    }

    /**
     * One epoch: draws the permutation now, then yields the batches in order.
     *
     * @return an iterator over this epoch's batches
     */
    public Iterator<Batch> epoch() {
        int[] perm = generator.randperm(labels.length);
        int per = images.length / labels.length;
        return new Iterator<>() {
            private int from;

            @Override
            public boolean hasNext() {
                return from < perm.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the epoch has " + batchesPerEpoch() + " batches");
                }
                int to = Math.min(perm.length, from + batchSize);
                float[] x = new float[(to - from) * per];
                int[] y = new int[to - from];
                for (int i = from; i < to; i++) {
                    System.arraycopy(images, perm[i] * per, x, (i - from) * per, per);
                    y[i - from] = labels[perm[i]];
                }
                int[] s = shape.clone();
                s[0] = to - from;
                from = to;
                return new Batch(Tensor.of(x, s), y);
            }
        };
    }
}
