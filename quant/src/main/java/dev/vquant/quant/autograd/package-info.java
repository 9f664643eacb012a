/**
 * Reverse-mode automatic differentiation for training vquant's float and QAT modules.
 *
 * <p>A {@link dev.vquant.quant.autograd.GradTape} opened on the current thread makes the modules'
 * forwards record what they computed; {@code backward(loss)} then adds every parameter's gradient
 * into {@link dev.vquant.quant.nn.Parameter#grad()}. Nothing is recorded, and nothing costs more,
 * while no tape is open. One training step:
 * <pre>{@code
 * Module model = MnistCnn.cnnTiny().train();
 * for (Parameter p : model.namedParameters().values()) {
 *     p.zeroGrad();                                   // gradients accumulate, as in PyTorch
 * }
 * try (GradTape step = GradTape.record()) {
 *     Tensor logits = model.forward(Tensor.of(pixels, batch, 1, 28, 28));
 *     Tensor loss = Loss.crossEntropy(logits, labels); // a float32 scalar, mean over the batch
 *     step.backward(loss);
 * }
 * for (Parameter p : model.namedParameters().values()) {
 *     float[] w = p.data();
 *     float[] g = p.grad();
 *     for (int i = 0; i < w.length; i++) {
 *         w[i] -= 0.01f * g[i];                       // an optimizer's update
 *     }
 *     p.markModified();                               // modules repack their weights
 * }
 * }</pre>
 *
 * <p>Gradients exist for Linear, Conv2d (groups, stride, padding, dilation, depthwise),
 * BatchNorm1d/2d (batch statistics in training, running statistics in eval), ReLU, ReLU6,
 * Hardswish, Sigmoid, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, FloatFunctional (add, add_relu,
 * mul, scalars, cat), Flatten, Dropout, QuantStub/DeQuantStub (the identity while float) and
 * {@link dev.vquant.quant.autograd.Loss#crossEntropy}; and for quantization-aware training:
 * FakeQuantize and FusedMovingAvgObsFakeQuantize (the straight-through estimator with clipping,
 * per tensor and per channel), the QAT Linear and Conv2d (through their fake-quantized weight)
 * and the fused ConvBn2d, ConvBnReLU2d, ConvReLU2d and LinearReLU, ConvBn's through PyTorch
 * 1.13's whole {@code _forward_approximate} (weight scaled by the BN scale factor, convolution,
 * un-scaling, bias, BN with batch or frozen statistics), so gamma gets gradient from both places
 * its scale factor enters. Matrix products run on the engine's float
 * GEMM, the kernel the forward runs on; the convolution's as GEMMs over blocks of im2col rows with
 * a col2im scatter, depthwise convolutions as loops over the channels NHWC keeps innermost.
 *
 * <p>Each operation's {@link dev.vquant.quant.autograd.GradFn} exchanges gradients in the memory
 * order of its tensors (NHWC for channels-last ones), so backward moves no data between layouts
 * that the forward did not move.
 */
package dev.vquant.quant.autograd;
