/**
 * Fake quantization, PyTorch's {@code torch.ao.quantization.fake_quantize}:
 * {@link dev.vquant.quant.qat.FakeQuantize} (an observer plus quantize-dequantize in float) and
 * {@link dev.vquant.quant.qat.FusedMovingAvgObsFakeQuantize} (the fused moving-average observer of
 * PyTorch's default QAT qconfigs), per tensor and per channel, with
 * {@code enable/disable_observer} and {@code enable/disable_fake_quant}
 * ({@link dev.vquant.quant.qat.QatControls} applies them to a whole model). Forward values and the
 * clipped straight-through gradient equal PyTorch 1.13's bit for bit.
 */
package dev.vquant.quant.qat;
