/**
 * PyTorch-style modules: {@link dev.vquant.quant.nn.Module} (named children, parameters, buffers,
 * state dicts with PyTorch's names, train/eval), {@link dev.vquant.quant.nn.Sequential}, and the
 * float layers that models are written with. Tensors between modules are
 * {@link dev.vquant.quant.Tensor}s in PyTorch's logical layout.
 */
package dev.vquant.quant.nn;
