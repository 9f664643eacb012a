/**
 * What torchvision's quantizable CNNs share in vquant: the {@link dev.vquant.quant.models.vision.QuantizableModel}
 * contract ({@code fuse_model}), torchvision's seeded default initialisation
 * ({@link dev.vquant.quant.models.vision.TorchvisionInit}), and static int8 quantization on seeded
 * synthetic images so a model can be quantized and measured with no download
 * ({@link dev.vquant.quant.models.vision.SyntheticCalibration}, {@link dev.vquant.quant.models.vision.ModelSize}).
 */
package dev.vquant.quant.models.vision;
