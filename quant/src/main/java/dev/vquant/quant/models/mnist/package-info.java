/**
 * The MNIST models vquant's PyTorch-trained weights belong to ({@code ../shared/mnist}):
 * {@link dev.vquant.quant.models.mnist.MnistCnn} and {@link dev.vquant.quant.models.mnist.MnistMlp},
 * with PyTorch's module names so their state dicts load unchanged.
 */
package dev.vquant.quant.models.mnist;
