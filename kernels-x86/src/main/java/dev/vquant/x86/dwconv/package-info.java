/**
 * fbgemm's depthwise convolution, int8 and float32, NHWC: channel-vectorized kernels for 3x3,
 * 5x5 and general windows over a ring of input rows, with the requantization of
 * {@link dev.vquant.engine.spi.Requantization}. Entry points:
 * {@link dev.vquant.x86.dwconv.X86DepthwiseKernels} and
 * {@link dev.vquant.x86.dwconv.X86FloatDepthwiseKernels}.
 */
package dev.vquant.x86.dwconv;
