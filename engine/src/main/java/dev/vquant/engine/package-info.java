/**
 * The engine switch and the values every layer shares: {@link dev.vquant.engine.QuantEngine}
 * (choose "fbgemm", "qnnpack" or "reference"; backends are found with {@link java.util.ServiceLoader}),
 * quantized and float tensors ({@link dev.vquant.engine.QTensor}, {@link dev.vquant.engine.FloatTensor};
 * 4-D activations are NHWC), their parameters ({@link dev.vquant.engine.QParams}, {@link dev.vquant.engine.DType}),
 * PyTorch's qparams arithmetic ({@link dev.vquant.engine.QParamsCalculator} for observers,
 * {@link dev.vquant.engine.DynamicQParams} for dynamic operators) and the quantize/dequantize facade
 * {@link dev.vquant.engine.Quantization}. This package compiles without {@code jdk.incubator.vector}.
 */
package dev.vquant.engine;
