/**
 * Modules for quantization-aware training, PyTorch's {@code torch.ao.nn.qat}: a
 * {@link dev.vquant.quant.nn.qat.Linear} and a {@link dev.vquant.quant.nn.qat.Conv2d} whose weight
 * passes through the qconfig's weight fake-quantize on every forward (straight-through gradient
 * under a {@link dev.vquant.quant.autograd.GradTape}). {@code Quantize.prepareQat} swaps the float
 * modules for these; {@code Quantize.convert} turns them into int8 modules.
 */
package dev.vquant.quant.nn.qat;
