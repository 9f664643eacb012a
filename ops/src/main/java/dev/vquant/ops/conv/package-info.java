/**
 * 2-D convolution on NHWC tensors, quantized ({@link dev.vquant.ops.conv.QConv2d}) and float32
 * ({@link dev.vquant.ops.conv.FloatConv2d}): depthwise kernels, direct GEMM for pointwise, per-group
 * GEMMs over im2col row blocks in per-thread buffers otherwise.
 */
package dev.vquant.ops.conv;
