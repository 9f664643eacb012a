/**
 * Data for training and evaluation: {@link dev.vquant.quant.data.Idx} (the MNIST IDX format),
 * {@link dev.vquant.quant.data.TorchGenerator} (PyTorch's CPU generator: the same shuffles and
 * draws for a seed), {@link dev.vquant.quant.data.ShuffledBatches} (an epoch's shuffled
 * mini-batches), {@link dev.vquant.quant.data.RandomAffine} and {@link
 * dev.vquant.quant.data.AffineWarp} (the recipes' rotation/scale/shift augmentation, PyTorch's
 * {@code affine_grid} + {@code grid_sample}).
 */
package dev.vquant.quant.data;
