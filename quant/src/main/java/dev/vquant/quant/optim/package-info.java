/**
 * Training's optimizer and learning-rate schedules, with PyTorch 1.13's numerics: {@link
 * dev.vquant.quant.optim.SGD} ({@code torch.optim.SGD}: momentum, dampening, Nesterov, weight decay,
 * float32 arithmetic in ATen's order), and the schedules {@link
 * dev.vquant.quant.optim.CosineAnnealingLR} and {@link dev.vquant.quant.optim.OneCycleLR}
 * ({@code torch.optim.lr_scheduler}, double arithmetic in Python's order). Proven step by step
 * against PyTorch ({@code tools/golden/optim.py}).
 */
package dev.vquant.quant.optim;
