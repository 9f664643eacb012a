/**
 * Fused float modules, PyTorch's {@code torch.nn.intrinsic}: what
 * {@link dev.vquant.quant.Fuser} puts in place of a group of layers (ConvReLU2d, LinearReLU,
 * BNReLU2d in eval mode; ConvBn2d, ConvBnReLU2d, LinearBn1d kept apart for quantization-aware
 * training), quantized as one layer by convert.
 */
package dev.vquant.quant.nn.intrinsic;
