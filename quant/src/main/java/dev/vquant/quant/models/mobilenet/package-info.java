/**
 * torchvision 0.14's quantizable MobileNetV2 ({@code torchvision.models.quantization.mobilenetv2})
 * with torchvision's module and state-dict names, its {@code fuse_model} and its initialisation.
 */
package dev.vquant.quant.models.mobilenet;
