/**
 * Quantized modules, what {@link dev.vquant.quant.Quantize#convert} swaps float modules for
 * (PyTorch's {@code torch.ao.nn.quantized} and its fused {@code intrinsic.quantized} forms):
 * {@link dev.vquant.quant.nn.quantized.Quantize}, {@link dev.vquant.quant.nn.quantized.DeQuantize},
 * {@link dev.vquant.quant.nn.quantized.Linear} / {@link dev.vquant.quant.nn.quantized.LinearReLU},
 * {@link dev.vquant.quant.nn.quantized.Conv2d} / {@link dev.vquant.quant.nn.quantized.ConvReLU2d},
 * {@link dev.vquant.quant.nn.quantized.QFunctional}, and the parameter-free operators as
 * {@link dev.vquant.quant.nn.quantized.QuantizedOperatorModule}. They compute on vquant's ops with
 * the current engine's PyTorch arithmetic and are safe for concurrent forwards.
 */
package dev.vquant.quant.nn.quantized;
