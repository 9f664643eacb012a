/**
 * Quantize, dequantize and requantize over arrays with PyTorch's rounding (round half to even on
 * {@code x * f32(1/scale)}), vectorized with scalar tails that round the same way. Entry point:
 * {@link dev.vquant.x86.quantize.X86QuantizeKernels}.
 */
package dev.vquant.x86.quantize;
