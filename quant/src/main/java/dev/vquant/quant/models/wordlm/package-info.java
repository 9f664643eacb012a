/**
 * The LSTM word language model of PyTorch's dynamic quantization tutorial
 * ({@link dev.vquant.quant.models.wordlm.WordLanguageModel}), with its module names, float or
 * dynamically quantized (LSTM and Linear).
 */
package dev.vquant.quant.models.wordlm;
