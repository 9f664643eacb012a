/**
 * Quantize, dequantize and requantize over arrays at 128-bit width with PyTorch's rounding.
 * Entry point: {@link dev.vquant.arm.quantize.QuantizeKernelsV128}.
 */
package dev.vquant.arm.quantize;
