/**
 * Fused modules for quantization-aware training, PyTorch's {@code torch.ao.nn.intrinsic.qat}:
 * {@link dev.vquant.quant.nn.intrinsic.qat.ConvBn2d} and
 * {@link dev.vquant.quant.nn.intrinsic.qat.ConvBnReLU2d} fold BatchNorm into the fake-quantized
 * convolution weight during training as PyTorch 1.13's {@code _forward_approximate} does (batch
 * statistics while BN is live, running statistics after {@code freeze_bn_stats}), and
 * {@link dev.vquant.quant.nn.intrinsic.qat.ConvReLU2d} and
 * {@link dev.vquant.quant.nn.intrinsic.qat.LinearReLU} fake-quantize their weight. Made by
 * {@code Fuser.fuseModulesQat} and {@code Quantize.prepareQat}; {@code Quantize.convert} turns them
 * into the same int8 modules as post-training quantization. Gradients flow through them under a
 * {@link dev.vquant.quant.autograd.GradTape}.
 */
package dev.vquant.quant.nn.intrinsic.qat;
