/**
 * The eager-mode quantization layer: {@link dev.vquant.quant.Tensor} (the value between modules),
 * modules ({@code nn}), observers, qconfigs, fusion, prepare/convert and dynamic quantization,
 * on vquant's operators ({@code dev.vquant.ops}); gradients for training and quantization-aware
 * training in {@code autograd}.
 */
package dev.vquant.quant;
