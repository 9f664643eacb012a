/**
 * Models written on the eager-mode layer with PyTorch's module names, so their PyTorch state dicts
 * load unchanged: the MNIST models ({@code mnist}), torchvision's quantizable ResNet-18/50 and
 * MobileNetV2 ({@code resnet}, {@code mobilenet}, shared parts in {@code vision}), a BERT encoder
 * ({@code bert}) and the word language model of PyTorch's dynamic quantization tutorial
 * ({@code wordlm}); {@link dev.vquant.quant.models.ModelSize} counts a model's weight bytes, float
 * or int8.
 */
package dev.vquant.quant.models;
