/**
 * Dynamically quantized modules (PyTorch's {@code torch.ao.nn.quantized.dynamic}): qint8 weights,
 * float input and output, activations quantized per call; what
 * {@link dev.vquant.quant.Quantize#quantizeDynamic} swaps Linear and LSTM for.
 */
package dev.vquant.quant.nn.quantized.dynamic;
