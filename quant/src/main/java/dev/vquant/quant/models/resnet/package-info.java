/**
 * torchvision 0.14's quantizable ResNets ({@code torchvision.models.quantization.resnet}):
 * {@link dev.vquant.quant.models.resnet.ResNet#resnet18 ResNet-18} and
 * {@link dev.vquant.quant.models.resnet.ResNet#resnet50 ResNet-50} with torchvision's module and
 * state-dict names, its {@code fuse_model} and its initialisation.
 */
package dev.vquant.quant.models.resnet;
