/**
 * PyTorch-style modules: {@link dev.vquant.quant.nn.Module} (named children, parameters, buffers,
 * state dicts with PyTorch's names, train/eval, deep copies), {@link dev.vquant.quant.nn.Sequential},
 * and the float layers models are written with, under PyTorch's names, constructor arguments,
 * parameter names and default initialization: Linear, Conv2d, BatchNorm1d/2d, ReLU, ReLU6,
 * Hardswish, Sigmoid, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, Identity, LSTM,
 * QuantStub, DeQuantStub and FloatFunctional. Their forwards run on vquant's float operators
 * ({@code dev.vquant.ops}), packed once per parameter version ({@link dev.vquant.quant.nn.OperatorCache}).
 * Tensors between modules are {@link dev.vquant.quant.Tensor}s in PyTorch's logical layout; images
 * move to channels-last at the first convolution or pooling and stay there.
 */
package dev.vquant.quant.nn;
