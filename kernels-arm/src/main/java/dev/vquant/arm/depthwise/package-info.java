/**
 * QNNPACK's int8 depthwise convolution at 128-bit width (single-pass 3x3 and multi-pass kernels
 * over NHWC input). Entry point: {@link dev.vquant.arm.depthwise.DepthwiseKernelsV128}.
 */
package dev.vquant.arm.depthwise;
